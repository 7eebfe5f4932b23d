/**
 * Whether a transfer can enter the mempool now (Mempool's admission rules, in their order), and
 * the early answer taken before its signature is checked.
 */
import type { Chain } from '../chain/chain.js';
import {
  admitTransfer,
  type Failure,
  fail,
  ok,
  type Result,
  type Transfer,
} from '../core/index.js';
import type { MempoolEntry } from './poolTypes.js';
import type { SenderQueues } from './senderQueues.js';

/** What admission reads of the mempool. */
export interface PoolState {
  readonly byId: ReadonlyMap<string, MempoolEntry>;
  readonly senders: SenderQueues<MempoolEntry>;
  readonly chain: Chain;
  readonly maxCount: number;
}

/**
 * What admissible() answers, when it refuses the transfer as a replay or for a used nonce;
 * undefined when it would not. PERF: it ran whole on every transfer offered, and again once
 * its signature was checked; this reads the sender's account alone (not the recipient's, nor
 * the balance rules), and the whole check runs only for a transfer refused here. Its order is
 * admissible()'s: a known id; a pending transfer holding the nonce at a fee as high (a nonce
 * conflict, decided in turn); then admitTransfer's first rule, a nonce below the account's.
 * With the reorg log's RecentMap, the sender's hex made once and gossip's hex only for peers:
 * main-thread CPU per transfer of batches of 100 (bench/intake.ts's clients, the built node,
 * alternating with 2d5299f, load 8–10): {hex} 76–77 → 47–48 µs, JSON views 109–112 → 75–79 µs.
 */
export function refusedAtOnce(
  pool: PoolState,
  tx: Transfer,
  idHex: string,
  senderHex: string,
): Failure | undefined {
  if (pool.byId.has(idHex)) return refusal(admissible(pool, tx, idHex, senderHex));
  const held = pool.senders.of(senderHex)?.byNonce.get(tx.nonce);
  if (held && tx.fee <= held.tx.fee) return undefined;
  const used = pool.chain.state.getAccount(senderHex)?.nonce ?? 0n;
  return tx.nonce < used ? refusal(admissible(pool, tx, idHex, senderHex)) : undefined;
}

/**
 * Whether the transfer can enter now; the value is the entry it would replace, if any.
 * PERF: the sender's queue is read once (SenderQueues.of), where withNonce, get and totalCost
 * each looked it up again, and admitTransfer takes the sender's hex made as it was offered (7 →
 * 5 lookups of the sender a transfer, senderLookups.test.ts). Batches of 100 {hex} through
 * mempool.addBatch, integ's dist against this one alternately in one process
 * (bench/lib/mempoolAlternate.ts, chunks of 16,000 transfers), this thread's CPU a transfer:
 * 3 rounds of 8, load 20, median ratio 0.972, lower in 16 of 24; 4 rounds of 8, load 20, 0.946,
 * lower in 22 of 32 (35.3 → 33.1 µs). With V8's helper threads: 1.009 (12 of 24), 0.945 (20 of
 * 32): the garbage is the same. NOTE: the reviewer's re-measure at lower load, the builds'
 * roles swapped between two runs (3 rounds of 8 each, load 5.4 and 1.7): 1.013 and 1/1.013,
 * lower in 10 and 9 of 24: within ±1 %, so the gain is not shown at low load; kept, as it reads
 * each Map once and costs nothing.
 */
export function admissible(
  pool: PoolState,
  tx: Transfer,
  idHex: string,
  senderHex: string,
): Result<MempoolEntry | undefined> {
  if (pool.byId.has(idHex))
    return fail('TX_ALREADY_KNOWN', `transaction ${idHex} is already pending`);
  // By nonce, not position: mid-reorg a queue may not start at the account's nonce.
  const queue = pool.senders.of(senderHex);
  const replaced = queue?.byNonce.get(tx.nonce);
  if (replaced && tx.fee <= replaced.tx.fee) {
    return fail(
      'MEMPOOL_NONCE_CONFLICT',
      `a pending transaction (${replaced.idHex}) uses nonce ${tx.nonce} with fee ${replaced.tx.fee}; pay more to replace it`,
    );
  }
  const pending = {
    count: queue?.items.length ?? 0,
    cost: (queue?.total ?? 0n) - (replaced ? replaced.tx.amount + replaced.tx.fee : 0n),
  };
  const height = pool.chain.tip.header.height + 1;
  const admitted = admitTransfer(pool.chain.state, tx, height, pending, senderHex);
  if (!admitted.ok) return admitted;
  if (!replaced && pool.byId.size >= pool.maxCount) {
    const cheapest = pool.senders.cheapestTail((e) => e.tx.fee, senderHex);
    if (!cheapest || cheapest.tx.fee >= tx.fee) {
      return fail(
        'MEMPOOL_FULL',
        `the mempool holds ${pool.byId.size} transfers; pay a fee above ${cheapest?.tx.fee ?? 0n}`,
      );
    }
  }
  return ok(replaced);
}

/** A refusal, or undefined for an admission. */
const refusal = (result: Result<unknown>): Failure | undefined => (result.ok ? undefined : result);
