/* Node-API calls in the addons: return NULL (a pending JS exception, or undefined) on failure. */
#ifndef BLOCKYARD_NAPI_CHECK_H
#define BLOCKYARD_NAPI_CHECK_H

#define CHECK(call)                                                                          \
  do {                                                                                       \
    if ((call) != napi_ok) return NULL;                                                      \
  } while (0)

#endif
