{
  "targets": [
    {
      "target_name": "sha256d",
      "sources": ["sha256d.c", "sha_ni.c"],
      "cflags": ["-O3", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3"] }
    },
    {
      "target_name": "ed25519",
      "sources": ["ed25519.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2"] }
    },
    {
      "target_name": "txids",
      "sources": ["txids.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2"] }
    },
    {
      "target_name": "malloc",
      "sources": ["malloc.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2"] }
    },
    {
      "target_name": "youngGeneration",
      "sources": ["youngGeneration.cc"],
      "cflags_cc": ["-O2", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O2"] }
    }
  ]
}
