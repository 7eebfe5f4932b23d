/*
 * Ed25519 verification from a raw 32-byte public key with the node binary's own OpenSSL, as a
 * Node-API addon (built by `npm run build:native` into kernels/native/build/Release/ed25519.node,
 * loaded by src/crypto/nativeEd25519.ts; node:crypto is used where it is not built).
 *
 * JS API:
 *   available(): boolean
 *     whether the node binary exports the OpenSSL functions below (weakly linked: the addon
 *     loads either way, and verify throws where they are absent).
 *   engine(): 'ossl_ed25519_verify' | 'EVP_DigestVerify'
 *     which OpenSSL function verify calls (below).
 *   verify(key, message, signature): boolean
 *     key, message and signature are Uint8Arrays; false unless key is 32 bytes, signature 64
 *     and OpenSSL verifies the signature of message under key. Throws a TypeError for arguments
 *     that are not Uint8Arrays, never crashes.
 *   verifyEvp(key, message, signature): boolean
 *     the same through EVP_DigestVerify whatever engine() says (for the tests).
 *
 * SECURITY: the verdict is node:crypto's, by construction, for
 *   verify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }),
 *          signature)
 * as the node verified before. Node 20 makes that key with EVP_PKEY_new_raw_public_key(
 * EVP_PKEY_ED25519, NULL, x, 32) (KeyObjectHandle::InitEDRaw), and verifies with
 * EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) then EVP_DigestVerify(...) == 1 (SignJob).
 *   EVP_DigestVerify engine: exactly those calls, with the same arguments, in the same OpenSSL
 *     (the node binary's: the symbols resolve to node's exports, not to a system libcrypto).
 *   ossl_ed25519_verify engine: where OpenSSL 3.0.x runs, those calls end in the default
 *     provider's ed25519_digest_verify, which returns 0 unless the signature is 64 bytes and
 *     otherwise ossl_ed25519_verify(message, length, signature, key->pubkey, libctx, propq):
 *     the key's pubkey is the 32 bytes given (the import copies them, checking nothing else),
 *     libctx and propq the default ones (NULL) as node passes none. This engine makes that last
 *     call itself, after the same length checks, and skips what comes before: the key object, the
 *     provider and method fetches, the contexts (and their locks, which two threads contend for).
 * test/unit/crypto/nativeEd25519.test.ts compares both engines' verdicts with node:crypto's on
 * RFC 8032's vectors, crafted keys and signatures, wrong lengths and thousands of flipped bits.
 *
 * PERF: see src/crypto/nodeEd25519.ts (no key cache, no KeyObject, no JWK). The EVP engine keeps
 * an EVP_MD_CTX per Node-API environment (each worker thread has its own), reset after each use.
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
/*
 * OpenSSL 3.0's own Ed25519 verify, which the default provider's EVP_DigestVerify calls for an
 * Ed25519 key (providers/implementations/signature/eddsa_sig.c, ed25519_digest_verify: a
 * signature of 64 bytes, else 0; then ossl_ed25519_verify(tbs, tbslen, sig, key->pubkey,
 * libctx, key->propq)). Not public API: node's binary exports it, and its prototype is 3.0's
 * (include/crypto/ecx.h; 3.2 added parameters), so it is used only when the OpenSSL running is
 * 3.0.x, the headers built against are 3.0.x and no FIPS provider is the default.
 */
#if OPENSSL_VERSION_MAJOR == 3 && OPENSSL_VERSION_MINOR == 0
#define HAVE_OPENSSL_30_DIRECT 1
int ossl_ed25519_verify(const uint8_t *message, size_t message_len, const uint8_t signature[64],
                        const uint8_t public_key[32], OSSL_LIB_CTX *libctx, const char *propq);
#pragma weak ossl_ed25519_verify
#pragma weak OpenSSL_version_num
#pragma weak EVP_default_properties_is_fips_enabled
#endif
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

#ifdef HAVE_OPENSSL_30_DIRECT
static int direct_available(void) {
  if (&ossl_ed25519_verify == NULL || &OpenSSL_version_num == NULL ||
      &EVP_default_properties_is_fips_enabled == NULL)
    return 0;
  unsigned long version = OpenSSL_version_num(); /* 0xMNN00PP0L */
  return (version >> 20) == 0x300 && !EVP_default_properties_is_fips_enabled(NULL);
}
#else
static int direct_available(void) { return 0; }
#endif

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

/* Which OpenSSL function a napi function verifies with (its data pointer). */
enum engine { ENGINE_NONE, ENGINE_DIRECT, ENGINE_EVP };
static const enum engine EVP_ENGINE = ENGINE_EVP;
/* The best engine this process can use, chosen at the first module load (the same in every
   thread: it depends only on the node binary). */
static enum engine best_engine = ENGINE_NONE;

static const char *engine_name(enum engine engine) {
  return engine == ENGINE_DIRECT ? "ossl_ed25519_verify"
         : engine == ENGINE_EVP  ? "EVP_DigestVerify"
                                 : "none";
}

#ifdef HAVE_OPENSSL_VERIFY
/* The thread's EVP_MD_CTX (one per Node-API environment, freed with it), or NULL (thrown). */
static EVP_MD_CTX *env_ctx(napi_env env) {
  EVP_MD_CTX *ctx;
  if (napi_get_instance_data(env, (void **)&ctx) != napi_ok) return NULL;
  if (ctx == NULL) {
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || napi_set_instance_data(env, ctx, free_ctx, NULL) != napi_ok) {
      if (ctx != NULL) EVP_MD_CTX_free(ctx);
      napi_throw_error(env, "ED25519_NATIVE_NO_MEMORY", "EVP_MD_CTX_new failed");
      return NULL;
    }
  }
  return ctx;
}
#endif

/* verify(key, message, signature): see the top of this file. */
static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *data;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, &data));
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
  enum engine engine = data == NULL ? best_engine : *(const enum engine *)data;
  if (engine == ENGINE_NONE) {
    napi_throw_error(env, "ED25519_NATIVE_UNAVAILABLE", "node does not export OpenSSL's EVP API");
    return NULL;
  }
  int valid = 0;
#ifdef HAVE_OPENSSL_VERIFY
  /* An empty Uint8Array may have no data pointer: OpenSSL is given a valid one. */
  static const uint8_t empty[1] = {0};
  if (message_length == 0) message = (uint8_t *)empty;
  if (key_length == KEY_BYTES && signature_length == SIGNATURE_BYTES) {
#ifdef HAVE_OPENSSL_30_DIRECT
    if (engine == ENGINE_DIRECT) {
      valid = ossl_ed25519_verify(message, message_length, signature, key, NULL, NULL) == 1;
      if (!valid) ERR_clear_error();
    } else
#endif
    {
      EVP_MD_CTX *ctx = env_ctx(env);
      if (ctx == NULL) return NULL;
      valid = verify_raw(ctx, key, message, message_length, signature);
    }
  }
#else
  (void)key, (void)message, (void)signature, (void)key_length, (void)message_length,
      (void)signature_length;
#endif
  napi_value result;
  CHECK(napi_get_boolean(env, valid, &result));
  return result;
}

static napi_value engine(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_string_utf8(env, engine_name(best_engine), NAPI_AUTO_LENGTH, &result));
  return result;
}

NAPI_MODULE_INIT() {
  if (best_engine == ENGINE_NONE)
    best_engine = !openssl_available() ? ENGINE_NONE
                  : direct_available() ? ENGINE_DIRECT
                                       : ENGINE_EVP;
  napi_value fn;
  CHECK(napi_create_function(env, "available", NAPI_AUTO_LENGTH, available, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "available", fn));
  CHECK(napi_create_function(env, "engine", NAPI_AUTO_LENGTH, engine, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "engine", fn));
  CHECK(napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "verify", fn));
  /* For the tests: the EVP path alone, whichever the best engine is. */
  if (openssl_available()) {
    CHECK(napi_create_function(env, "verifyEvp", NAPI_AUTO_LENGTH, verify, (void *)&EVP_ENGINE,
                               &fn));
    CHECK(napi_set_named_property(env, exports, "verifyEvp", fn));
  }
  return exports;
}
