/*
 * The native kernel: SHA-256d of a 92-byte block header over a range of nonces, as a Node-API
 * addon (built by `npm run build:native` into kernels/native/build/Release/sha256d.node and
 * driven by src/miner/kernels/nativeKernel.ts). It has two engines:
 *
 *   sha-ni   x86 SHA extensions through intrinsics, two nonces interleaved so that one's rounds
 *            fill the other's latency. Offered only when CPUID reports SHA, SSSE3 and SSE4.1.
 *   openssl  OpenSSL's SHA256_Transform, which the node binary exports and which picks SHA-NI,
 *            AVX2 or plain code by itself. Weakly linked: where node does not export it, the
 *            addon still loads and simply does not offer this engine.
 *
 * JS API:
 *   engines(): string[]
 *   search(engine, header, target, hi, lo, count, out): number
 *     tries nonces hi << 32 | lo ... hi << 32 | (lo + count - 1) in order; returns the offset of
 *     the first whose SHA-256d, read big-endian, is <= target, with that hash written to `out`,
 *     or -1. The caller keeps lo + count <= 2^32. Header 92 bytes, target and out 32 bytes.
 *
 * Header bytes 64..91 (block 2) are words W0..W6: merkle root tail (2), timestamp (2), bits,
 * nonce hi, nonce lo; then W7 = 0x80000000 padding and W15 = 736, the length in bits.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#include "sha256d.h"

/* ---- openssl engine ---------------------------------------------------------------------- */

#if defined(__GNUC__) && !defined(_WIN32) && defined(__has_include)
#if __has_include(<openssl/sha.h>)
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#pragma weak SHA256_Transform
#define HAVE_OPENSSL_ENGINE 1
#endif
#endif

#ifdef HAVE_OPENSSL_ENGINE
static int openssl_available(void) { return &SHA256_Transform != NULL; }

static int64_t openssl_search(const uint8_t *header, const uint32_t target[8], uint32_t lo,
                              uint32_t count, uint8_t out[32]) {
  SHA256_CTX ctx;
  memset(&ctx, 0, sizeof ctx);
  memcpy(ctx.h, IV_WORDS, sizeof IV_WORDS);
  SHA256_Transform(&ctx, header);
  uint32_t mid[8];
  memcpy(mid, ctx.h, sizeof mid);
  uint8_t block2[64] = {0}, block3[64] = {0};
  memcpy(block2, header + 64, 28);
  block2[28] = 0x80;
  block2[62] = (92 * 8) >> 8;
  block2[63] = (92 * 8) & 0xff;
  block3[32] = 0x80;
  block3[62] = (32 * 8) >> 8;
  for (uint32_t i = 0; i < count; i++) {
    store_be32(block2 + 24, lo + i);
    memcpy(ctx.h, mid, sizeof mid);
    SHA256_Transform(&ctx, block2);
    for (int j = 0; j < 8; j++) store_be32(block3 + 4 * j, ctx.h[j]);
    memcpy(ctx.h, IV_WORDS, sizeof IV_WORDS);
    SHA256_Transform(&ctx, block3);
    if (ctx.h[0] <= target[0] && meets_target(ctx.h, target)) {
      for (int j = 0; j < 8; j++) store_be32(out + 4 * j, ctx.h[j]);
      return i;
    }
  }
  return -1;
}
#else
static int openssl_available(void) { return 0; }
static int64_t openssl_search(const uint8_t *header, const uint32_t target[8], uint32_t lo,
                              uint32_t count, uint8_t out[32]) {
  (void)header, (void)target, (void)lo, (void)count, (void)out;
  return -2;
}
#endif

/* ---- the JS API -------------------------------------------------------------------------- */

#define CHECK(call)                                                                           \
  do {                                                                                        \
    if ((call) != napi_ok) return NULL;                                                       \
  } while (0)

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, "MINER_NATIVE_BAD_CALL", message);
  return NULL;
}

static napi_value engines(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value list, name;
  uint32_t n = 0;
  CHECK(napi_create_array(env, &list));
  if (sha_ni_available()) {
    CHECK(napi_create_string_utf8(env, "sha-ni", NAPI_AUTO_LENGTH, &name));
    CHECK(napi_set_element(env, list, n++, name));
  }
  if (openssl_available()) {
    CHECK(napi_create_string_utf8(env, "openssl", NAPI_AUTO_LENGTH, &name));
    CHECK(napi_set_element(env, list, n++, name));
  }
  return list;
}

static int get_bytes(napi_env env, napi_value value, size_t length, uint8_t **data) {
  napi_typedarray_type type;
  size_t actual;
  void *raw;
  if (napi_get_typedarray_info(env, value, &type, &actual, &raw, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array || actual != length) return 0;
  *data = raw;
  return 1;
}

static napi_value search(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) return throw_error(env, "search() takes 7 arguments");
  char engine[16];
  size_t engine_length;
  if (napi_get_value_string_utf8(env, argv[0], engine, sizeof engine, &engine_length) != napi_ok)
    return throw_error(env, "engine must be a string");
  uint8_t *header, *target_bytes, *out;
  if (!get_bytes(env, argv[1], 92, &header)) return throw_error(env, "header must be 92 bytes");
  if (!get_bytes(env, argv[2], 32, &target_bytes))
    return throw_error(env, "target must be 32 bytes");
  if (!get_bytes(env, argv[6], 32, &out)) return throw_error(env, "out must be 32 bytes");
  uint32_t hi, lo, count;
  if (napi_get_value_uint32(env, argv[3], &hi) != napi_ok ||
      napi_get_value_uint32(env, argv[4], &lo) != napi_ok ||
      napi_get_value_uint32(env, argv[5], &count) != napi_ok)
    return throw_error(env, "hi, lo and count must be u32");
  if ((uint64_t)lo + count > 0x100000000ull) return throw_error(env, "lo + count exceeds 2^32");

  uint8_t block[92];
  memcpy(block, header, 92);
  store_be32(block + 84, hi);
  uint32_t target[8];
  for (int i = 0; i < 8; i++) target[i] = load_be32(target_bytes + 4 * i);

  int64_t found;
  if (strcmp(engine, "sha-ni") == 0 && sha_ni_available()) {
    found = sha_ni_search(block, target, lo, count, out);
  } else if (strcmp(engine, "openssl") == 0 && openssl_available()) {
    found = openssl_search(block, target, lo, count, out);
  } else {
    return throw_error(env, "engine not available on this machine");
  }
  napi_value result;
  CHECK(napi_create_int64(env, found, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  CHECK(napi_create_function(env, "engines", NAPI_AUTO_LENGTH, engines, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "engines", fn));
  CHECK(napi_create_function(env, "search", NAPI_AUTO_LENGTH, search, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "search", fn));
  return exports;
}
