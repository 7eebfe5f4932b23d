/*
 * SHA-256d of consecutive slices of one buffer (a block's transactions: their ids), with the
 * node binary's own OpenSSL, as a Node-API addon (built by `npm run build:native` into
 * kernels/native/build/Release/txids.node, loaded by src/crypto/nativeTxIds.ts; core's JS
 * SHA-256d is used where it is not built).
 *
 * JS API:
 *   available(): boolean
 *     whether the node binary exports SHA256_Init, _Update and _Final (weakly linked: the addon loads either way, and
 *     sha256dSlices throws where it is absent).
 *   sha256dSlices(bytes, bounds): Uint8Array
 *     bytes a Uint8Array, bounds a Uint32Array of n + 1 ascending offsets into it: slice i is
 *     bytes[bounds[i], bounds[i + 1]). Returns the n digests SHA-256(SHA-256(slice)), 32 bytes
 *     each, one after another. Throws for anything else (never reads outside `bytes`).
 *
 * SECURITY: the same function as src/core/hash.ts's sha256d (FIPS 180-4 twice), on public data;
 * test/unit/crypto/nativeTxIds.test.ts compares the two on every length from 0 to 300 bytes.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

#include "napi_check.h"

#if defined(__GNUC__) && !defined(_WIN32) && defined(__has_include)
#if __has_include(<openssl/sha.h>)
/* SHA256_Init and the rest: deprecated in OpenSSL 3 for EVP (see sha256d below). */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#pragma weak SHA256_Init
#pragma weak SHA256_Update
#pragma weak SHA256_Final
#define HAVE_OPENSSL_SHA 1
#endif
#endif

#ifdef HAVE_OPENSSL_SHA
/*
 * PERF: the low-level calls, not SHA256(): OpenSSL 3's one-shot goes through EVP_Q_digest, which
 * fetches the algorithm and makes a context each call. A full block's 6,368 ids with their copies
 * out, each way alternated with core's JS (tsx, load 24, medians of 30): 24.9 ms through SHA256(),
 * 14.6 through these (the call alone 1.9), core's JS 52.
 */
static int sha_available(void) {
  return &SHA256_Init != NULL && &SHA256_Update != NULL && &SHA256_Final != NULL;
}
static void sha256d(const uint8_t *data, size_t length, uint8_t out[32]) {
  uint8_t first[32];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data, length);
  SHA256_Final(first, &ctx);
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, first, 32);
  SHA256_Final(out, &ctx);
}
#else
static int sha_available(void) { return 0; }
static void sha256d(const uint8_t *data, size_t length, uint8_t out[32]) {
  (void)data, (void)length, (void)out;
}
#endif

static napi_value available(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_get_boolean(env, sha_available(), &result));
  return result;
}

static napi_value bad_call(napi_env env, const char *message) {
  napi_throw_type_error(env, "TXIDS_NATIVE_BAD_CALL", message);
  return NULL;
}

static napi_value sha256d_slices(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) return bad_call(env, "sha256dSlices(bytes, bounds)");
  if (!sha_available()) return bad_call(env, "the node binary exports no SHA256_Init");
  napi_typedarray_type type;
  size_t length, count;
  void *raw;
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &raw, NULL, NULL));
  if (type != napi_uint8_array) return bad_call(env, "bytes must be a Uint8Array");
  const uint8_t *bytes = raw;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &count, &raw, NULL, NULL));
  if (type != napi_uint32_array || count < 1)
    return bad_call(env, "bounds must be a Uint32Array of at least one offset");
  const uint32_t *bounds = raw;
  size_t n = count - 1;
  for (size_t i = 0; i < n; i++) {
    if (bounds[i] > bounds[i + 1] || bounds[i + 1] > length)
      return bad_call(env, "bounds must ascend within bytes");
  }
  napi_value buffer;
  void *digests;
  CHECK(napi_create_buffer(env, 32 * n, &digests, &buffer));
  for (size_t i = 0; i < n; i++)
    sha256d(bytes + bounds[i], bounds[i + 1] - bounds[i], (uint8_t *)digests + 32 * i);
  return buffer;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  CHECK(napi_create_function(env, "available", NAPI_AUTO_LENGTH, available, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "available", fn));
  CHECK(napi_create_function(env, "sha256dSlices", NAPI_AUTO_LENGTH, sha256d_slices, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "sha256dSlices", fn));
  return exports;
}
