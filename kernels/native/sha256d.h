/* Shared by the native kernel's engines (see sha256d.c). */
#ifndef BLOCKYARD_SHA256D_H
#define BLOCKYARD_SHA256D_H

#include <stdint.h>

static const uint32_t IV_WORDS[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static inline uint32_t load_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t x) {
  p[0] = (uint8_t)(x >> 24);
  p[1] = (uint8_t)(x >> 16);
  p[2] = (uint8_t)(x >> 8);
  p[3] = (uint8_t)x;
}

/* A hash as eight words, most significant first, compared with the target the same way. */
static inline int meets_target(const uint32_t hash[8], const uint32_t target[8]) {
  for (int i = 0; i < 8; i++) {
    if (hash[i] != target[i]) return hash[i] < target[i];
  }
  return 1;
}

/* sha_ni.c: 1 if the CPU has the SHA extensions (and SSSE3, SSE4.1) and the build has the code. */
int sha_ni_available(void);

/* The search of sha256d.c's API with the SHA-NI engine; the header's nonce hi is already set. */
int64_t sha_ni_search(const uint8_t *header, const uint32_t target[8], uint32_t lo,
                      uint32_t count, uint8_t out[32]);

#endif
