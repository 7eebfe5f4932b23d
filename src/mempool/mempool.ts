/**
 * Transactions waiting for a block. Admission checks each transfer against the tip's state
 * plus the sender's own pending transfers: nonces must follow on without gaps, and the sender's
 * spendable balance must cover everything it has pending (incoming pending payments are not
 * counted: money is spendable once confirmed). A pending transfer can be replaced by one with
 * the same nonce and a higher fee. This file admits transfers (their signatures checked on the
 * worker threads, decisions in arrival order, answers once the journal has them); what the pool
 * holds and how it leaves is heldTransfers.ts, how it follows the chain chainFollowing.ts.
 */
import type { Chain } from '../chain/chain.js';
import {
  checkTx,
  encodeTx,
  type Failure,
  fail,
  type NetworkParams,
  ok,
  type Result,
  type Selection,
  selectTransactions,
  sha256d,
  type Transfer,
  type Tx,
  toHex,
} from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';
import { admissible, refusedAtOnce } from './admission.js';
import { ChainFollowingPool } from './chainFollowing.js';
import type { MempoolEntry, MempoolOptions, Offered } from './poolTypes.js';
import { SignatureBatch } from './signatureBatch.js';

export type { MempoolEntry, MempoolEvents, MempoolOptions } from './poolTypes.js';

export class Mempool extends ChainFollowingPool {
  private readonly params: NetworkParams;
  /** Admission decisions, one at a time in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Signature checks, gathered per turn of the event loop for the worker threads. */
  private readonly signatures: SignatureBatch;
  /** Resolves once what was admitted is on disk (the node's journal); at once without one. */
  private durable: () => Promise<void> = () => Promise.resolve();

  constructor(chain: Chain, verifier: NodeVerifier, options: MempoolOptions) {
    super(chain, options);
    this.params = chain.params;
    this.signatures = new SignatureBatch(verifier);
  }

  /** The nonce a new transfer of this sender should carry. */
  nextNonce(senderHex: string): bigint {
    const account = this.chain.state.getAccount(senderHex);
    return (account?.nonce ?? 0n) + BigInt(this.senders.get(senderHex).length);
  }

  /** What the next block should contain. */
  selectForBlock(maxCount?: number): Selection {
    const pending = this.entries().map((e) => e.tx);
    return selectTransactions(
      pending,
      this.chain.state,
      this.params,
      this.chain.tip.header.height + 1,
      maxCount,
    );
  }

  /**
   * Admits a transaction: cheap checks, then its signature, then the checks again and insertion.
   * Signatures of concurrent submissions are verified in parallel (every core), but decisions are
   * taken one at a time in arrival order: a sender's nonces n and n + 1 sent together both enter.
   *
   * `bytes`: the transfer's canonical encoding if the caller has it (the bytes it decoded it
   * from). PERF: a transfer was encoded four times on its way in (its id, the signed bytes, the
   * journal, the announcement to peers); now its bytes are hashed for the id and kept in the
   * entry for the journal and the announcement: 12–20 µs → 7–10 µs a transfer for those three
   * (200,000 in a loop, load 8.5), of the 325 µs the main thread spends on one POST /api/tx.
   *
   * `idHex`: SHA-256d of `bytes` in hex, if the caller hashed them already (a JSON view's `id`,
   * checked as it was read); taken only with `bytes`. PERF: a JSON view with its id was hashed
   * twice on its way in; the second hash and hex cost 2.7–3.7 µs a transfer (20,000 in a loop,
   * tsx, load 7), of the 30–40 µs the main thread spends on a transfer of a JSON batch.
   */
  async add(tx: Tx, bytes?: Uint8Array, idHex?: string): Promise<Result<MempoolEntry>> {
    const [result] = await this.admit([tx], [bytes], [idHex]);
    return result!;
  }

  /**
   * Admits many transactions: their signatures are checked at once on all cores, and they are
   * decided in the given order, so a sender's nonces 0, 1, 2 in one batch all get in.
   * `addedAtMs`: when each was first admitted, if before now (the journal's, at a restart), so
   * that a restart does not make old transfers young again (they expire after maxAgeMs).
   */
  addBatch(
    txs: readonly Tx[],
    bytes: readonly (Uint8Array | undefined)[] = [],
    ids: readonly (string | undefined)[] = [],
    addedAtMs: readonly (number | undefined)[] = [],
  ): Promise<Result<MempoolEntry>[]> {
    return this.admit(txs, bytes, ids, addedAtMs);
  }

  /**
   * add() and addBatch(): each transfer as add() says, the batch together. PERF: one signature
   * job, one turn in the decision queue and one wait for the journal for the whole batch, where
   * each transfer made its own (≈ 8 promises and their callbacks a transfer).
   *
   * NOTE: deciding a group as soon as the earlier groups of its senders are decided (not every
   * earlier group: a worker job's answers no longer wait for a job posted before it on the
   * other worker) was measured and not taken (branch w-single-order, 4fa2d3e). Under bench
   * intake's single POST /api/tx {hex} (instrumented compiled node, load 13.5) verdicts waited
   * for earlier groups 0.13–0.26 ms a request of a round trip of ≈ 8 ms; alternated 6 rounds
   * (load 12–14), node CPU a transfer 307 → 294 µs and the rate won 3 rounds of 6: noise.
   */
  private async admit(
    txs: readonly Tx[],
    bytes: readonly (Uint8Array | undefined)[],
    ids: readonly (string | undefined)[],
    addedAtMs: readonly (number | undefined)[] = [],
  ): Promise<Result<MempoolEntry>[]> {
    const results: Result<MempoolEntry>[] = new Array(txs.length);
    const offered: Offered[] = [];
    txs.forEach((tx, at) => {
      const early = this.offer(tx, bytes[at], at, ids[at]);
      if ('ok' in early) results[at] = early;
      else offered.push(early);
    });
    if (offered.length > 0) {
      const verdicts = this.signatures.checkAll(offered);
      const decision = this.queue.then(async () => {
        const valid = await verdicts;
        offered.forEach((o, k) => {
          const decided = this.decide(o, valid[k]!, addedAtMs[o.at]);
          if (!decided.ok && decided.code !== 'TX_ALREADY_KNOWN')
            this.emit('refused', o.idHex, decided.code, decided.detail);
          results[o.at] = decided;
        });
      });
      this.queue = decision.catch(() => undefined);
      await decision;
    }
    // Outside the queue: decisions go on while the journal commits, and one commit answers all.
    // An answer that says pending waits too, "already pending" included: another request may
    // have admitted the transfer this very turn, before its commit (a client's retry of a batch
    // in flight was answered so; killed then, the node lost what it had called pending).
    if (results.some(saysPending)) await this.durable();
    return results;
  }

  /**
   * The cheap checks before the signature's: the transfer to check, or why it is refused now.
   * SECURITY: replays cost no signature check. Other refusals could be cured by a submission
   * still in flight (its predecessor), so they are decided in turn.
   */
  private offer(
    tx: Tx,
    bytes: Uint8Array | undefined,
    at: number,
    knownId: string | undefined,
  ): Offered | Failure {
    const checked = checkTx(tx, this.params);
    if (!checked.ok) return checked;
    const transfer = tx as Transfer;
    const encoded = bytes ?? encodeTx(transfer);
    // An id comes only with the bytes it is the hash of (a JSON view's id, checked as it was read).
    const idHex = (bytes && knownId) ?? toHex(sha256d(encoded));
    const senderHex = toHex(transfer.from);
    const early = refusedAtOnce(this.state, transfer, idHex, senderHex);
    if (early && (early.code === 'TX_ALREADY_KNOWN' || early.code === 'TX_NONCE_TOO_LOW')) {
      if (early.code === 'TX_NONCE_TOO_LOW') this.emit('refused', idHex, early.code, early.detail);
      return early;
    }
    return { tx: transfer, bytes: encoded, idHex, senderHex, at };
  }

  /**
   * Makes add() resolve only once `durable()` has: an admission the caller reports (201) must
   * survive a crash (src/mempool/mempoolJournal.ts).
   */
  waitUntilDurable(durable: () => Promise<void>): void {
    this.durable = durable;
  }

  /** An offered transfer, once its signature is checked: admitted now, or why not. */
  private decide(o: Offered, valid: boolean, addedAtMs?: number): Result<MempoolEntry> {
    if (!valid) {
      return fail(
        'TX_BAD_SIGNATURE',
        "the signature does not match the transaction and the sender's key",
      );
    }
    // The state may have moved while the signature was checked: decide now, then insert at once.
    const decided = admissible(this.state, o.tx, o.idHex, o.senderHex);
    if (!decided.ok) return decided;
    const replaced = decided.value;
    return ok(this.insert(o.tx, o.bytes, o.idHex, o.senderHex, replaced, undefined, addedAtMs));
  }

  /** Whether the mempool verified this transaction's signature (the chain skips it then). */
  isVerified = (idHex: string): boolean => this.byId.has(idHex);
}

/** Whether an answer tells the client the transfer is pending: admitted now, or already. */
const saysPending = (result: Result<unknown>): boolean =>
  result.ok || result.code === 'TX_ALREADY_KNOWN';
