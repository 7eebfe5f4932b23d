/**
 * Opening a chain's store: the genesis block written into an empty one, then the block tree
 * rebuilt from every stored record, with the main chain checked against the store's height index.
 */
import {
  chainWorkAfter,
  equalBytes,
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
  // PERF: the records one at a time, each indexed as it is read, not all in one array first,
  // and the main chain checked byte by byte (no hex string per height). A store of 10,000 blocks
  // opened by Chain.open alone (bench/lib/connectMemory.ts, compiled, a fresh process, load 6–10,
  // two runs each): RSS 125 → 105–107 MB; 102 → 90 MB with V8's young generation held as a
  // node's start holds it (src/cli/youngGeneration.ts). The live heap after a full GC is the
  // same 17.6 MB: what went is the young generation's growth (16 → 8 MB semi-spaces, held) and
  // the old space the arrays were promoted into. Chain.open 0.5–1.0 s → 0.5–0.7 s.
  let seen = 0;
  let first = true;
  for (const record of store.eachRecord()) {
    if (first && !equalBytes(record.hash, genesisHash)) {
      throw new Error(
        `this data directory holds another network's chain (genesis ${toHex(record.hash)}, ${params.name} is ${toHex(genesisHash)})`,
      );
    }
    first = false;
    index.add(record);
    seen = Math.max(seen, record.seenOrder + 1);
  }
  // The main chain runs from the stored tip back to genesis; check it against the height index.
  const tipHex = toHex(store.getTipHash()!);
  const path: BlockEntry[] = [];
  for (let e = index.get(tipHex); e; e = e.parent) path.push(e);
  path.reverse();
  for (const entry of path) {
    const stored = store.getMainHash(entry.header.height);
    if (!stored || !equalBytes(stored, entry.hash)) {
      throw new Error(
        `main chain index disagrees with the tip's ancestry at height ${entry.header.height}`,
      );
    }
    index.main.push(entry);
  }
  return seen;
}
