/*
 * glibc's malloc_trim for the node, as a Node-API addon (built by `npm run build:native` into
 * kernels/native/build/Release/malloc.node, loaded by src/p2p/trimMalloc.ts; where it is not
 * built, or the C library is not glibc, nothing is trimmed).
 *
 * JS API:
 *   trim(): boolean
 *     malloc_trim(0): every arena's free pages given back to the system (madvise), not only
 *     those at the top of each heap that free() gives back on its own; true if any was. false
 *     where the C library is not glibc.
 *   limitArenas(count): boolean
 *     mallopt(M_ARENA_MAX, count): threads that malloc for the first time from now on share at
 *     most `count` arenas (glibc's default is 8 a core); those that have one keep it. true if
 *     glibc took it; false for a count below 1 or where the C library is not glibc.
 *
 * NOTE: Node's ArrayBuffers, SQLite's page cache and V8's own tables are malloc'd; after a sync
 * of big blocks frees them, the main thread's arena keeps the freed pages (a buffer still in use
 * above them keeps free() from shrinking the heap), and Node calls no malloc_trim.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define CHECK(call)                                                                              \
  do {                                                                                           \
    if ((call) != napi_ok) return NULL;                                                          \
  } while (0)

static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  CHECK(napi_get_boolean(env, released != 0, &result));
  return result;
}

static napi_value limit_arenas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t count = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &count) != napi_ok) count = 0;
  int taken = 0;
#if defined(__GLIBC__)
  if (count >= 1) taken = mallopt(M_ARENA_MAX, count);
#endif
  napi_value result;
  CHECK(napi_get_boolean(env, taken == 1, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  CHECK(napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "trim", fn));
  CHECK(napi_create_function(env, "limitArenas", NAPI_AUTO_LENGTH, limit_arenas, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "limitArenas", fn));
  return exports;
}
