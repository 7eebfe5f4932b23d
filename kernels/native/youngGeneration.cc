/*
 * A ceiling on V8's young generation, kept at every collection of the main thread's heap, as a
 * Node-API addon that uses V8's own API (built by `npm run build:native` into
 * kernels/native/build/Release/youngGeneration.node, loaded by src/cli/youngGenerationCeiling.ts;
 * where it is not built, src/cli/youngGeneration.ts keeps its ceiling from JS alone).
 *
 * JS API:
 *   setGrowth(factor, capBytes): boolean
 *     The growth factor the node's policy wants (youngGeneration.ts capGrowth), and the largest
 *     semi-space V8 may grow to (0: none). The first call adds a GC prologue callback to the
 *     calling thread's isolate; true once it is there.
 *   startingWorkers(count)
 *     Worker threads created and not yet online: each one's isolate sets V8's factor back to 2
 *     as it starts (Heap::ConfigureHeap), unseen here; while count > 0 the factor is written
 *     before every collection, else only when it changes (a write is ≈ 40 µs:
 *     V8::SetFlagsFromString parses and rehashes the flags).
 *
 * V8 grows the young generation inside a collection (Heap::CheckNewSpaceExpansionCriteria, after
 * the embedder's prologue callbacks): the semi-spaces become factor × their capacity, factor being
 * --semi-space-growth-factor as it reads then. The prologue callback sets that flag before each
 * collection to the policy's factor, lowered so that one growth cannot pass the cap: a ceiling
 * that holds however many collections come inside one long task (a gc PerformanceObserver reads
 * them only after it, too late: 1 -> 16 MB semi-spaces seen in a sync), and after a worker
 * thread's isolate set the flag back to V8's default (its ConfigureHeap does).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <v8.h>

#include <cstdio>
#include <cstring>

#include "napi_check.h"

namespace {

/** The policy's factor and the cap (bytes of a semi-space; 0: none). Main thread only. */
int wanted_factor = 2;
size_t cap_bytes = 0;
bool installed = false;
int starting_workers = 0;
/** The factor last written to V8's flag (0: none yet). */
int written_factor = 0;

/** The young generation's semi-space capacity (used + available of new_space), bytes. */
size_t SemiSpaceBytes(v8::Isolate* isolate) {
  static size_t index = static_cast<size_t>(-1);
  v8::HeapSpaceStatistics stats;
  if (index != static_cast<size_t>(-1) && isolate->GetHeapSpaceStatistics(&stats, index))
    return stats.space_used_size() + stats.space_available_size();
  for (size_t i = 0; i < isolate->NumberOfHeapSpaces(); i++) {
    if (!isolate->GetHeapSpaceStatistics(&stats, i)) continue;
    if (std::strcmp(stats.space_name(), "new_space") != 0) continue;
    index = i;
    return stats.space_used_size() + stats.space_available_size();
  }
  return 0;
}

void WriteFactor(int factor) {
  char flag[64];
  int n = std::snprintf(flag, sizeof flag, "--semi-space-growth-factor=%d", factor);
  v8::V8::SetFlagsFromString(flag, static_cast<size_t>(n));
  written_factor = factor;
}

/** Before each collection: the policy's factor, at most the one that takes the semi-spaces to the cap. */
void Prologue(v8::Isolate* isolate, v8::GCType, v8::GCCallbackFlags) {
  int factor = wanted_factor;
  if (cap_bytes > 0) {
    size_t semi = SemiSpaceBytes(isolate);
    size_t most = semi == 0 ? 1 : cap_bytes / semi;
    if (most < 1) most = 1;
    if (static_cast<size_t>(factor) > most) factor = static_cast<int>(most);
  }
  if (factor != written_factor || starting_workers > 0) WriteFactor(factor);
}

napi_value SetGrowth(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t factor = 2;
  int64_t cap = 0;
  if (argc >= 1) napi_get_value_int32(env, argv[0], &factor);
  if (argc >= 2) napi_get_value_int64(env, argv[1], &cap);
  wanted_factor = factor < 1 ? 1 : factor;
  cap_bytes = cap < 0 ? 0 : static_cast<size_t>(cap);
  WriteFactor(wanted_factor);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (!installed && isolate != nullptr) {
    isolate->AddGCPrologueCallback(Prologue);
    installed = true;
  }
  napi_value result;
  CHECK(napi_get_boolean(env, installed, &result));
  return result;
}

napi_value StartingWorkers(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t count = 0;
  if (argc >= 1) napi_get_value_int32(env, argv[0], &count);
  starting_workers = count < 0 ? 0 : count;
  return nullptr;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  CHECK(napi_create_function(env, "setGrowth", NAPI_AUTO_LENGTH, SetGrowth, nullptr, &fn));
  CHECK(napi_set_named_property(env, exports, "setGrowth", fn));
  CHECK(napi_create_function(env, "startingWorkers", NAPI_AUTO_LENGTH, StartingWorkers, nullptr,
                             &fn));
  CHECK(napi_set_named_property(env, exports, "startingWorkers", fn));
  return exports;
}
