// Loaded by --import before a bench's node child that runs under tsx (nodeChild.ts,
// intakeClients.ts), in place of heldYoungGeneration.ts: a worker thread inherits the process's
// --import flags, and Node 20 applies tsx's hooks in a worker only after its entry module has
// loaded (src/crypto/sourceWorker.mjs), so a .ts module given by --import fails every signature
// worker with ERR_UNKNOWN_FILE_EXTENSION: the pool then gives up (MAX_FAILURES) and every
// signature went to node:crypto's async verify on libuv's threads. Plain JS here, and the hold
// is the main thread's alone (the young generation's flag is the process's).
import { isMainThread } from 'node:worker_threads';

if (isMainThread) await import('./heldYoungGeneration.ts');
