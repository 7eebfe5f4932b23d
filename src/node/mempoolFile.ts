/**
 * The mempool file that nodes before the journal (src/mempool/mempoolJournal.ts) wrote when they
 * closed: read once at start, its transfers admitted again, then removed. New nodes never write it.
 *
 *   <dataDir>/<network>/mempool.json = {"version": 1, "saved_at_ms": 1795…, "transactions": ["<hex>", …]}
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Logger } from 'pino';
import { decodeTx, parseHex, type Tx } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';

export const MEMPOOL_FILE = 'mempool.json';

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
