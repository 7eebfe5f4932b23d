/**
 * What a store answers about some blocks' parties and transactions, and what a store that
 * connected given blocks and nothing else answers: kill tests compare a reopened store with both
 * (the chain before the interrupted write, and after it).
 */
import { join } from 'node:path';
import { type Block, hashTx, toHex } from '../../src/core/index.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../src/storage/types.js';
import { alice, bob, carol, easyParams, miner } from './chainBuilder.js';
import { accountsOf, connectInto } from './nodeFixtures.js';

const parties = [alice, bob, carol, miner];

/** The tip, the parties' accounts, the number of accounts, the blocks' tx locations, histories. */
export function storeAnswers(store: ChainStore, blocks: readonly Block[]) {
  return {
    tip: toHex(store.getTipHash()!),
    accounts: accountsOf(
      store,
      parties.map((p) => p.key),
    ),
    count: store.countAccounts(),
    locations: blocks.flatMap((block) => block.txs.map((tx) => store.getTxLocation(hashTx(tx)))),
    histories: parties.map((p) => store.getHistory(toHex(p.key), 1000)),
  };
}

/** storeAnswers of a new store `name` in `dir` that connected `blocks` (genesis first). */
export function referenceAnswers(
  dir: string,
  name: string,
  blocks: readonly Block[],
  asked: readonly Block[],
) {
  const store = openSqliteStore(join(dir, name));
  connectInto(store, blocks, easyParams);
  const result = storeAnswers(store, asked);
  store.close();
  return result;
}
