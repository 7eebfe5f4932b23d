/** A reorganisation's record (src/mempool/reorgLog.ts) as the API shows it (reorgSchemas.ts). */
import { encodeAddress, type NetworkParams } from '../core/index.js';
import type { BlockRef, ReorgRecord, ReorgTx } from '../mempool/reorgLog.js';
import type { ReorgJson } from './reorgSchemas.js';

export const blockRefJson = (r: BlockRef) => ({ hash: r.hashHex, height: r.height });

function touchedJson(t: ReorgTx, params: NetworkParams) {
  return {
    id: t.idHex,
    from: encodeAddress(t.tx.from, params.addressPrefix),
    to: encodeAddress(t.tx.to, params.addressPrefix),
    amount: `${t.tx.amount}`,
    fee: `${t.tx.fee}`,
    nonce: `${t.tx.nonce}`,
    left_in: t.leftIn ? blockRefJson(t.leftIn) : null,
  };
}

export function reorgJson(r: ReorgRecord, params: NetworkParams): ReorgJson {
  return {
    seq: r.seq,
    at_ms: r.atMs,
    depth: r.depth,
    old_tip: r.oldTip.hashHex,
    new_tip: r.newTip.hashHex,
    fork_height: r.forkPoint.height,
    fork_hash: r.forkPoint.hashHex,
    old_height: r.oldTip.height,
    new_height: r.newTip.height,
    left_behind: r.leftBehind.map((b) => ({
      hash: b.hashHex,
      height: b.height,
      tx_count: b.txCount,
      replaced_by: b.replacedBy ? blockRefJson(b.replacedBy) : null,
    })),
    new_blocks: r.joined.map(blockRefJson),
    returned: r.returned.map((t) => touchedJson(t, params)),
    reconfirmed: r.reconfirmed.map((t) => ({
      ...touchedJson(t, params),
      now_in: blockRefJson(t.nowIn),
    })),
    dropped: r.dropped.map((t) => ({
      ...touchedJson(t, params),
      code: t.code,
      message: t.message,
      conflicts_with: t.conflictsWith ?? null,
    })),
  };
}
