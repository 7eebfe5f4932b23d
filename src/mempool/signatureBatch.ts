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

/** A transfer to check, with its canonical encoding (encodeTx). */
export interface Signed {
  readonly tx: Transfer;
  readonly bytes: Uint8Array;
}

/** Transfers offered together (one, or a batch's), answered together. */
interface Waiting {
  readonly items: readonly Signed[];
  readonly resolve: (valid: boolean[]) => void;
}

export class SignatureBatch {
  private waiting: Waiting[] = [];
  private waitingCount = 0;
  /** Checks under way on the thread pool. */
  private onPool = 0;

  constructor(private readonly verifier: NodeVerifier) {}

  /** Whether the transfer's signature verifies (`bytes`: its canonical encoding). */
  async check(tx: Transfer, bytes: Uint8Array): Promise<boolean> {
    const [valid] = await this.checkAll([{ tx, bytes }]);
    return valid!;
  }

  /**
   * Whether each transfer's signature verifies, in order. PERF: one promise for them all (a
   * batch of 100 made 100 promises here and as many callbacks), and the workers answer by index.
   */
  checkAll(items: readonly Signed[]): Promise<boolean[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (!this.verifier.verifyTransfers || items.some((it) => it.bytes.length !== TRANSFER_SIZE))
      return Promise.all(items.map((it) => this.onThePool(it.tx)));
    return new Promise((resolve) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ items, resolve });
      this.waitingCount += items.length;
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
    const count = this.waitingCount;
    this.waiting = [];
    this.waitingCount = 0;
    const workers =
      this.verifier.workersRunning?.() === true || count + this.onPool >= START_WORKERS_AT;
    // NOTE: a rejection is "not judged" too: unhandled, it would end the node, and these
    // transfers' requests would wait for ever.
    const verdicts = workers
      ? await this.verifier.verifyTransfers!(join(batch, count)).catch(() => undefined)
      : undefined;
    let at = 0;
    for (const { items, resolve } of batch) {
      // Not judged (the workers failed, or were not used): the thread pool checks them.
      if (verdicts === undefined) {
        void Promise.all(items.map((it) => this.onThePool(it.tx))).then(resolve);
        continue;
      }
      // SECURITY: the verdict at an index is for the bytes join() put there, these items'.
      resolve(items.map((_, i) => verdicts[at + i] === 1));
      at += items.length;
    }
  }
}

/** The transfers' encodings one after another, as the workers read them. */
function join(batch: readonly Waiting[], count: number): Uint8Array {
  const bytes = new Uint8Array(count * TRANSFER_SIZE);
  let at = 0;
  for (const { items } of batch) {
    for (const item of items) {
      bytes.set(item.bytes, at);
      at += TRANSFER_SIZE;
    }
  }
  return bytes;
}
