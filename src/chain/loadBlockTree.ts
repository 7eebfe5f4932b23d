/**
 * Opening a chain's store: the genesis block written into an empty one, then the block tree
 * rebuilt from every stored record, with the main chain checked against the store's height index.
 */
import {
  chainWorkAfter,
  genesisBlock,
  hashHeader,
  hashTx,
  type NetworkParams,
  toHex,
} from '../core/index.js';
import type { ChainStore } from '../storage/types.js';
import type { BlockEntry, BlockIndex } from './blockIndex.js';

/** Fills the empty `index` from `store`; returns the arrival order the next new block gets. */
export function loadBlockTree(store: ChainStore, params: NetworkParams, index: BlockIndex): number {
  const genesis = genesisBlock(params);
  const genesisHash = hashHeader(genesis.header);
  // NOTE: no tip, not no records: saving and connecting genesis are two SQL transactions, and a
  // node killed between them must still start (saveBlock keeps the genesis already there).
  if (store.getTipHash() === undefined) {
    const record = {
      hash: genesisHash,
      header: genesis.header,
      chainWork: chainWorkAfter(0n, genesis.header.bits),
      seenOrder: 0,
      invalid: false,
    };
    store.saveBlock(record, genesis);
    store.connectBlock({
      hash: genesisHash,
      block: genesis,
      txIds: genesis.txs.map(hashTx),
      diff: new Map(),
      undo: new Map(),
    });
  }
  const records = store.loadRecords();
  if (toHex(records[0]!.hash) !== toHex(genesisHash)) {
    throw new Error(
      `this data directory holds another network's chain (genesis ${toHex(records[0]!.hash)}, ${params.name} is ${toHex(genesisHash)})`,
    );
  }
  for (const record of records) index.add(record);
  // NOTE: a loop, not Math.max(...records): spreading 100,000+ arguments overflows the stack.
  let seen = 0;
  for (const record of records) seen = Math.max(seen, record.seenOrder + 1);
  // The main chain runs from the stored tip back to genesis; check it against the height index.
  const tipHex = toHex(store.getTipHash()!);
  const path: BlockEntry[] = [];
  for (let e = index.get(tipHex); e; e = e.parent) path.push(e);
  path.reverse();
  for (const entry of path) {
    const stored = store.getMainHash(entry.header.height);
    if (!stored || toHex(stored) !== entry.hashHex) {
      throw new Error(
        `main chain index disagrees with the tip's ancestry at height ${entry.header.height}`,
      );
    }
    index.main.push(entry);
  }
  return seen;
}
