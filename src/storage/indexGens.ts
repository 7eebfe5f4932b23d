/**
 * The generations of the SQLite store's txs and history tables (sqliteSchema.ts): each row's key
 * begins with its generation, a run of consecutive main-chain blocks holding about GEN_TXS
 * transactions in all, so that a connect's rows, at random ids and account keys, land in the
 * newest generation's part of each B-tree only, whatever the length of the chain.
 *
 *   index_gens(gen PK, from_height, txs)   gen's first block's height, and its transactions
 *
 * A connect adds its block to the newest generation, or opens the next one first if that one
 * holds GEN_TXS transactions already; a disconnect takes its block out of the newest generation,
 * and drops the generation when that was its first block. Both run inside the block's own SQL
 * transaction (sqliteStore.ts): the rows and their generation commit together or not at all.
 */
import type Database from 'better-sqlite3';

/**
 * PERF: how many transactions a generation holds. A full block's txs and history rows, written
 * by the store's own indexWriter, one SQL transaction a block (bench/lib/indexGrowth.ts 120 20,
 * with and without `one-gen`, side by side, load 12–13), this thread's CPU a transfer and the
 * bytes the process wrote (the WAL, then the checkpoints) a block, at blocks 1–20, 21–40 …
 * 101–120: in one tree 8.2, 21.6, 33.9, 41.5, 48.0, 55.2 µs and 28, 95, 153, 189, 211, 227 MB
 * (random keys dirty nearly every page of two trees that keep growing; 57.6 µs and 264 MB at
 * blocks 181–200 of a 200-block run); in generations of 131,072 (20 full blocks) 8.0, 8.8, 9.2,
 * 9.5, 10.5, 10.0 µs and 28–30 MB. Chain.addBlock's connect writes, this checkout against the
 * one before, alternated on stores grown as 60 full blocks (bench/lib/storeAlternate.ts … 2 60,
 * load 11): 38.1 → 17.1 µs a transfer on this thread; on fresh stores 8.1 and 8.1.
 * Generations of 65,536 cost 7.6 µs (14 MB a block), of 262,144 up to 24 µs in their second half.
 * NOTE: the price is paid by lookups by id and by account, one seek a generation (figures in
 * indexReads.ts): a chain of 10,000 full blocks has about 490.
 */
export const GEN_TXS = 131_072;

export interface IndexGens {
  /** The generation a block at `height` of `txs` transactions joins (opened if need be). */
  connect(height: number, txs: number): number;
  /** The generation the tip block at `height` of `txs` transactions leaves (dropped if empty). */
  disconnect(height: number, txs: number): number;
}

/** `genTxs`: GEN_TXS, or fewer for a test that wants many generations from a short chain. */
export function indexGens(db: Database.Database, genTxs = GEN_TXS): IndexGens {
  const newest = db.prepare<[], { gen: bigint; from_height: bigint; txs: bigint }>(
    'SELECT gen, from_height, txs FROM index_gens ORDER BY gen DESC LIMIT 1',
  );
  const open = db.prepare('INSERT INTO index_gens (gen, from_height, txs) VALUES (?, ?, ?)');
  const count = db.prepare('UPDATE index_gens SET txs = ? WHERE gen = ?');
  const drop = db.prepare('DELETE FROM index_gens WHERE gen = ?');
  return {
    connect(height, txs) {
      const last = newest.get();
      if (last && Number(last.txs) < genTxs) {
        count.run(Number(last.txs) + txs, last.gen);
        return Number(last.gen);
      }
      const gen = last ? Number(last.gen) + 1 : 0;
      open.run(gen, height, txs);
      return gen;
    },
    disconnect(height, txs) {
      const last = newest.get();
      if (!last || Number(last.from_height) > height)
        throw new Error(`no index generation holds the block at ${height}`);
      const gen = Number(last.gen);
      if (Number(last.from_height) === height) drop.run(gen);
      else count.run(Number(last.txs) - txs, gen);
      return gen;
    },
  };
}
