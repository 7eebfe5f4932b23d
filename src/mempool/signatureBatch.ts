/**
 * The mempool's signature checks, gathered: every transfer offered in one turn of the event loop
 * (the requests read in one poll, a batch's hundred) goes to the verifier's worker threads as one
 * job, shared among them, instead of one libuv thread-pool job each.
 *
 * PERF (node --cpu-prof on bench/intake.ts's node, load 2–7): node:crypto's async verify cost the
 * main thread 131 µs per single POST /api/tx and 42 µs per transfer of a batch (verifyOneShot's
 * self time, 13.6 % of that thread): each job wakes a pool thread, which on 2 busy cores takes
 * the core from the main thread. One job per turn wakes each worker once; the workers verify
 * synchronously, ≈ 15 % faster than the pool (signatureWorkers.ts). Measured as the main
 * thread's own CPU per accepted transfer (bench intake's "main CPU", load 6–7): single POST
 * {hex} 313 → 266 µs, JSON view 361 → 319 µs; batches of 100 {hex} 101 → 79 µs, JSON 131 → 99 µs.
 *
 * While the workers are stopped (they stop when idle, to save memory) a lone transfer still goes
 * to the thread pool; they start once START_WORKERS_AT signatures wait at once.
 */
import { TRANSFER_SIZE, type Transfer, txSigningBytes } from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';

/** Signatures waiting at once (gathered now, or still on the pool) that start the workers. */
export const START_WORKERS_AT = 8;

interface Waiting {
  readonly tx: Transfer;
  readonly bytes: Uint8Array;
  readonly idHex: string;
  readonly resolve: (valid: boolean) => void;
}

export class SignatureBatch {
  private waiting: Waiting[] = [];
  /** Checks under way on the thread pool. */
  private onPool = 0;

  constructor(private readonly verifier: NodeVerifier) {}

  /**
   * Whether the transfer's signature verifies. `bytes` must be its canonical encoding and `idHex`
   * SHA-256d of them (the mempool hashed them). SECURITY: a worker reports the id of the bytes it
   * verified, so an answer can vouch for no other bytes than these.
   */
  check(tx: Transfer, bytes: Uint8Array, idHex: string): Promise<boolean> {
    if (!this.verifier.verifyTransfers || bytes.length !== TRANSFER_SIZE) return this.onThePool(tx);
    return new Promise((resolve) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ tx, bytes, idHex, resolve });
    });
  }

  private onThePool(tx: Transfer): Promise<boolean> {
    this.onPool++;
    return this.verifier.verifyAsync(tx.from, txSigningBytes(tx), tx.signature).then((valid) => {
      this.onPool--;
      return valid;
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    const workers =
      this.verifier.workersRunning?.() === true || batch.length + this.onPool >= START_WORKERS_AT;
    // NOTE: a rejection is "not judged" too: unhandled, it would end the node, and these
    // transfers' requests would wait for ever.
    const answer = workers
      ? await this.verifier.verifyTransfers!(join(batch)).catch(() => undefined)
      : undefined;
    const valid = answer && new Set(answer);
    for (const waiting of batch) {
      // Not judged (the workers failed, or were not used): the thread pool checks it.
      if (valid === undefined) void this.onThePool(waiting.tx).then(waiting.resolve);
      else waiting.resolve(valid.has(waiting.idHex));
    }
  }
}

/** The transfers' encodings one after another, as the workers read them. */
function join(batch: readonly Waiting[]): Uint8Array {
  const bytes = new Uint8Array(batch.length * TRANSFER_SIZE);
  batch.forEach((waiting, i) => {
    bytes.set(waiting.bytes, i * TRANSFER_SIZE);
  });
  return bytes;
}
