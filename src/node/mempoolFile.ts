/**
 * The mempool across a restart, as Bitcoin Core's mempool.dat: written when the node closes,
 * read back (each transfer admitted again, against the chain as it is then) when it starts.
 *
 *   <dataDir>/<network>/mempool.json = {"version": 1, "saved_at_ms": 1795…, "transactions": ["<hex>", …]}
 *
 * Transfers are saved in nonce order, so that a sender's 0, 1, 2 are admitted in turn whatever
 * order they arrived in. NOTE: a node killed without closing (kill -9, power loss) loses its
 * mempool, as Core's does; peers hand the transfers back through gossip. A re-admitted transfer
 * starts a new expiry period.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { decodeTx, encodeTx, parseHex, type Tx, toHex } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';

export const MEMPOOL_FILE = 'mempool.json';

export function saveMempool(path: string, mempool: Mempool, nowMs: number): number {
  const txs = mempool
    .entries()
    .map((e) => e.tx)
    .sort((a, b) =>
      a.type === 'transfer' && b.type === 'transfer' ? Number(a.nonce - b.nonce) : 0,
    );
  if (txs.length === 0) {
    rmSync(path, { force: true });
    return 0;
  }
  const body = {
    version: 1,
    saved_at_ms: nowMs,
    transactions: txs.map((tx) => toHex(encodeTx(tx))),
  };
  // Written beside, then renamed: a crash while writing leaves the old file or none, never half.
  writeFileSync(`${path}.tmp`, JSON.stringify(body), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return txs.length;
}

/** Admits the saved transfers again; the file is removed once read. */
export async function loadMempool(
  path: string,
  mempool: Mempool,
  logger: Logger,
): Promise<{ admitted: number; refused: number }> {
  if (!existsSync(path)) return { admitted: 0, refused: 0 };
  const txs: Tx[] = [];
  try {
    const body = JSON.parse(readFileSync(path, 'utf8')) as { transactions?: unknown };
    for (const hex of Array.isArray(body.transactions) ? body.transactions : []) {
      const tx = typeof hex === 'string' ? decodeTx(parseHex(hex) ?? new Uint8Array()) : undefined;
      if (tx?.ok) txs.push(tx.value);
    }
  } catch (error) {
    logger.warn({ err: error, path }, 'the saved mempool could not be read; starting empty');
  }
  const outcomes = await mempool.addBatch(txs);
  const admitted = outcomes.filter((o) => o.ok).length;
  rmSync(path, { force: true });
  if (txs.length > 0) {
    logger.info(
      { admitted, refused: txs.length - admitted },
      `mempool: ${admitted} of ${txs.length} saved transfers admitted again`,
    );
  }
  return { admitted, refused: txs.length - admitted };
}
