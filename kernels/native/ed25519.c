/*
 * Ed25519 verification from a raw 32-byte public key with the node binary's own OpenSSL, as a
 * Node-API addon (built by `npm run build:native` into kernels/native/build/Release/ed25519.node,
 * loaded by src/crypto/nativeEd25519.ts; node:crypto is used where it is not built).
 *
 * JS API:
 *   available(): boolean
 *     whether the node binary exports the OpenSSL functions below (weakly linked: the addon
 *     loads either way, and verify throws where they are absent).
 *   verify(key, message, signature): boolean
 *     key, message and signature are Uint8Arrays; false unless key is 32 bytes, signature 64
 *     and OpenSSL verifies the signature of message under key. Throws a TypeError for arguments
 *     that are not Uint8Arrays.
 *
 * SECURITY: the verdict is node:crypto's, by construction: for
 *   verify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }),
 *          signature)
 * Node 20 makes the key with EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, 32)
 * (KeyObjectHandle::InitEDRaw), then verifies with EVP_DigestVerifyInit(ctx, NULL, NULL, NULL,
 * key) and EVP_DigestVerify(...) == 1 (SignJob): the same calls, in the same OpenSSL (the
 * node binary's, not the system's: the symbols resolve to node's exports), with the same
 * arguments. A key OpenSSL refuses fails here as its import fails there (no signature verifies).
 * test/unit/crypto/nativeEd25519.test.ts compares the verdicts on RFC 8032's vectors, crafted
 * keys and signatures, wrong lengths and thousands of flipped bits.
 *
 * PERF: a key is made, used once and freed: no cache, no KeyObject, no JWK (see nativeEd25519.ts
 * for the figures). The EVP_MD_CTX is kept per Node-API environment (each worker thread has its
 * own) and reset after each use; OpenSSL frees what the verify allocated on reset.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__GNUC__) && !defined(_WIN32) && defined(__has_include)
#if __has_include(<openssl/evp.h>)
#include <openssl/err.h>
#include <openssl/evp.h>
#pragma weak EVP_PKEY_new_raw_public_key
#pragma weak EVP_PKEY_free
#pragma weak EVP_MD_CTX_new
#pragma weak EVP_MD_CTX_reset
#pragma weak EVP_MD_CTX_free
#pragma weak EVP_DigestVerifyInit
#pragma weak EVP_DigestVerify
#pragma weak ERR_clear_error
#define HAVE_OPENSSL_VERIFY 1
#endif
#endif

#define KEY_BYTES 32
#define SIGNATURE_BYTES 64

#define CHECK(call)                                                                              \
  do {                                                                                           \
    if ((call) != napi_ok) return NULL;                                                          \
  } while (0)

#ifdef HAVE_OPENSSL_VERIFY
static int openssl_available(void) {
  return &EVP_PKEY_new_raw_public_key != NULL && &EVP_PKEY_free != NULL &&
         &EVP_MD_CTX_new != NULL && &EVP_MD_CTX_reset != NULL && &EVP_MD_CTX_free != NULL &&
         &EVP_DigestVerifyInit != NULL && &EVP_DigestVerify != NULL && &ERR_clear_error != NULL;
}

/* 1 if the signature verifies, 0 if not. ctx is reset on every path. */
static int verify_raw(EVP_MD_CTX *ctx, const uint8_t *key, const uint8_t *message,
                      size_t message_length, const uint8_t *signature) {
  EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, KEY_BYTES);
  int valid = 0;
  if (pkey != NULL) {
    valid = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
            EVP_DigestVerify(ctx, signature, SIGNATURE_BYTES, message, message_length) == 1;
    EVP_MD_CTX_reset(ctx);
    EVP_PKEY_free(pkey);
  }
  /* A refused key or signature leaves its reason on this thread's error queue, as node:crypto
     clears it (ClearErrorOnReturn): nothing else should ever read it. */
  if (!valid) ERR_clear_error();
  return valid;
}

static void free_ctx(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  EVP_MD_CTX_free((EVP_MD_CTX *)data);
}
#else
static int openssl_available(void) { return 0; }
#endif

static napi_value available(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_get_boolean(env, openssl_available(), &result));
  return result;
}

/* The bytes of a Uint8Array argument, or 0 (a TypeError thrown) if it is not one. */
static int get_bytes(napi_env env, napi_value value, const char *name, uint8_t **data,
                     size_t *length) {
  napi_typedarray_type type;
  void *raw;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, "ED25519_NATIVE_BAD_CALL", name);
    return 0;
  }
  *data = raw;
  return 1;
}

static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, "ED25519_NATIVE_BAD_CALL", "verify(key, message, signature)");
    return NULL;
  }
  uint8_t *key, *message, *signature;
  size_t key_length, message_length, signature_length;
  if (!get_bytes(env, argv[0], "key must be a Uint8Array", &key, &key_length) ||
      !get_bytes(env, argv[1], "message must be a Uint8Array", &message, &message_length) ||
      !get_bytes(env, argv[2], "signature must be a Uint8Array", &signature, &signature_length))
    return NULL;
  int valid = 0;
#ifdef HAVE_OPENSSL_VERIFY
  if (!openssl_available()) {
    napi_throw_error(env, "ED25519_NATIVE_UNAVAILABLE", "node does not export OpenSSL's EVP API");
    return NULL;
  }
  if (key_length == KEY_BYTES && signature_length == SIGNATURE_BYTES) {
    EVP_MD_CTX *ctx;
    CHECK(napi_get_instance_data(env, (void **)&ctx));
    if (ctx == NULL) {
      ctx = EVP_MD_CTX_new();
      if (ctx == NULL || napi_set_instance_data(env, ctx, free_ctx, NULL) != napi_ok) {
        if (ctx != NULL) EVP_MD_CTX_free(ctx);
        napi_throw_error(env, "ED25519_NATIVE_NO_MEMORY", "EVP_MD_CTX_new failed");
        return NULL;
      }
    }
    /* An empty Uint8Array may have no data pointer: OpenSSL is given a valid one. */
    static const uint8_t empty[1] = {0};
    valid = verify_raw(ctx, key, message_length == 0 ? empty : message, message_length, signature);
  }
#else
  (void)key, (void)message, (void)signature, (void)key_length, (void)message_length,
      (void)signature_length;
  napi_throw_error(env, "ED25519_NATIVE_UNAVAILABLE", "built without OpenSSL's headers");
  return NULL;
#endif
  napi_value result;
  CHECK(napi_get_boolean(env, valid, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  CHECK(napi_create_function(env, "available", NAPI_AUTO_LENGTH, available, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "available", fn));
  CHECK(napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "verify", fn));
  return exports;
}
