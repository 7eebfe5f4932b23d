/**
 * A transaction's whole life on this node, for GET /api/tx/:id: when it entered the mempool,
 * each block that held it, each reorganisation that took it back to the pool or dropped it (and
 * the transfer it conflicts with), and where it is now. Built from the reorg log's records and
 * the transaction's current status; nothing is stored per transaction beyond what they keep.
 */
import type { BlockRef, ReorgLog } from '../mempool/reorgLog.js';
import type { LifeStep } from './schemas.js';

export type Now =
  | { readonly status: 'pending' }
  | { readonly status: 'confirmed'; readonly block: BlockRef }
  | {
      readonly status: 'dropped';
      readonly code: string;
      readonly message: string;
      readonly atMs: number;
    };

const blank = {
  at_ms: null,
  block: null,
  reorg: null,
  code: null,
  message: null,
  conflicts_with: null,
} as const;

/** `blockTime`: a block's timestamp, for the steps "in block B" (when B was made). */
export function txLife(
  idHex: string,
  log: ReorgLog,
  now: Now,
  blockTime: (hashHex: string) => number | null,
): LifeStep[] {
  const steps: LifeStep[] = [];
  const inBlock = (block: BlockRef, reorg: number | null = null) =>
    steps.push({
      ...blank,
      step: 'confirmed',
      at_ms: blockTime(block.hashHex),
      block: { hash: block.hashHex, height: block.height },
      reorg,
    });
  const seenAt = log.firstSeen(idHex);
  if (seenAt !== undefined) steps.push({ ...blank, step: 'pending', at_ms: seenAt });
  for (const r of log.ofTx(idHex)) {
    const returned = r.returned.find((t) => t.idHex === idHex);
    const reconfirmed = r.reconfirmed.find((t) => t.idHex === idHex);
    const dropped = r.dropped.find((t) => t.idHex === idHex);
    const leftIn = (returned ?? reconfirmed ?? dropped)?.leftIn;
    if (leftIn && !isIn(steps.at(-1), leftIn.hashHex)) inBlock(leftIn);
    if (returned) steps.push({ ...blank, step: 'returned', at_ms: r.atMs, reorg: r.seq });
    else if (reconfirmed) inBlock(reconfirmed.nowIn, r.seq);
    else if (dropped) {
      steps.push({
        ...blank,
        step: 'dropped',
        at_ms: r.atMs,
        reorg: r.seq,
        code: dropped.code,
        message: dropped.message,
        conflicts_with: dropped.conflictsWith ?? null,
      });
    }
  }
  const last = steps.at(-1);
  if (now.status === 'confirmed') {
    if (!isIn(last, now.block.hashHex)) inBlock(now.block);
  } else if (now.status === 'pending') {
    if (last === undefined || last.step === 'confirmed' || last.step === 'dropped')
      steps.push({ ...blank, step: 'pending' });
  } else if (last?.step !== 'dropped') {
    steps.push({
      ...blank,
      step: 'dropped',
      at_ms: now.atMs,
      code: now.code,
      message: now.message,
    });
  }
  return steps;
}

const isIn = (step: LifeStep | undefined, hashHex: string) =>
  step?.step === 'confirmed' && step.block?.hash === hashHex;
