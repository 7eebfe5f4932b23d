/**
 * The same store in memory, for tests and throwaway nodes. It keeps what SQLite keeps, with the
 * same all-or-nothing connect and disconnect (nothing here can fail halfway).
 */
import {
  type Account,
  type Block,
  encodeBlock,
  fromHex,
  hashTx,
  type StateDiff,
  toHex,
} from '../core/index.js';
import { historyKeys } from './historyKeys.js';
import { isSnapshotHeight, oldestKept, SNAPSHOT_BLOCKS } from './stateSnapshots.js';
import type {
  BlockRecord,
  BlockView,
  ChainStore,
  HistoryEntry,
  JournaledTx,
  PeerRecord,
  ReplayBlock,
  TxLocation,
} from './types.js';
import { UNDO_BLOCKS } from './undoWindow.js';

/**
 * `undoBlocks`: blocks below the tip whose undo is kept (undoWindow.ts); `snapshotBlocks`: blocks
 * between two copies of the accounts (stateSnapshots.ts, 0: none); as the SQLite store.
 */
export function createMemoryStore(
  options: { undoBlocks?: number; snapshotBlocks?: number } = {},
): ChainStore {
  const undoBlocks = options.undoBlocks ?? UNDO_BLOCKS;
  const snapshotBlocks = options.snapshotBlocks ?? SNAPSHOT_BLOCKS;
  /** The accounts after the main-chain block at each checkpoint height kept. */
  const snapshots = new Map<number, Map<string, Account>>();
  const blocks = new Map<string, { record: BlockRecord; block: Block }>();
  const main: Uint8Array[] = [];
  const accounts = new Map<string, Account>();
  const undos = new Map<string, StateDiff>();
  const txs = new Map<string, TxLocation>();
  const history = new Map<string, HistoryEntry[]>();
  const meta = new Map<string, string>();
  const peers = new Map<string, PeerRecord>();
  const journal = new Map<string, JournaledTx>();
  const views = new Map<string, BlockView>();

  const applyDiff = (diff: StateDiff) => {
    for (const [key, account] of diff) {
      if (account === null) accounts.delete(key);
      else accounts.set(key, account);
    }
  };

  /** The tip block off the main chain with its undo and index entries; the state left as it is. */
  const takeOffTip = () => {
    const hash = main.pop()!;
    const block = blocks.get(toHex(hash))!.block;
    undos.delete(toHex(hash));
    snapshots.delete(main.length);
    for (const tx of block.txs) {
      txs.delete(toHex(hashTx(tx)));
      for (const key of historyKeys(tx)) {
        const list = history.get(toHex(key));
        list?.splice(0, list.length, ...list.filter((e) => e.height !== block.header.height));
      }
    }
    return { hash, block };
  };

  /** The tip taken off with its undo data (StoreSwitch.disconnectTip). */
  const disconnectTip = () => {
    const hash = main[main.length - 1];
    if (!hash) throw new Error('no tip to disconnect');
    const undo = undos.get(toHex(hash));
    if (!undo) throw new Error(`no undo data for tip ${toHex(hash)}`);
    applyDiff(undo);
    return takeOffTip();
  };

  /** StoreSwitch.rewind's writes (one step: a switch here is not isolated). */
  function* rewindSteps(height: number, replay: ReplayBlock): Generator<void, Uint8Array[]> {
    const taken: Uint8Array[] = [];
    while (main.length - 1 > height) taken.push(takeOffTip().hash);
    const from = snapshotBlocks === 0 ? 0 : Math.max(0, ...[...snapshots.keys()]);
    accounts.clear();
    for (const [key, account] of snapshots.get(from) ?? []) accounts.set(key, account);
    undos.clear();
    for (let h = from + 1; h <= height; h++) {
      const { diff, undo } = replay(blocks.get(toHex(main[h]!))!.block, {
        getAccount: (key: string) => accounts.get(key),
      });
      applyDiff(diff);
      if (h > height - undoBlocks) undos.set(toHex(main[h]!), undo);
    }
    yield;
    return taken;
  }

  const store: ChainStore = {
    saveBlock(record, block) {
      const key = toHex(record.hash);
      if (!blocks.has(key)) blocks.set(key, { record, block });
    },
    markInvalid(hash) {
      const entry = blocks.get(toHex(hash));
      if (entry) entry.record = { ...entry.record, invalid: true };
    },
    loadRecords: () => [...blocks.values()].map((e) => e.record),
    *eachRecord() {
      for (const entry of blocks.values()) yield entry.record;
    },
    getBlock: (hash) => blocks.get(toHex(hash))?.block,
    getBlockBytes(hash) {
      const block = blocks.get(toHex(hash))?.block;
      return block && encodeBlock(block);
    },
    getBlockView: (hash) => views.get(toHex(hash)),
    saveBlockViews(list) {
      for (const view of list) views.set(toHex(view.hash), view);
    },
    getTipHash: () => main[main.length - 1],
    getMainHash: (height) => main[height],
    connectBlock(c) {
      const height = c.block.header.height;
      const tip = main[main.length - 1];
      const extendsTip =
        tip === undefined ? height === 0 : toHex(c.block.header.prevHash) === toHex(tip);
      if (!extendsTip || height !== main.length) {
        throw new Error(`block ${toHex(c.hash)} at ${height} does not extend the tip`);
      }
      applyDiff(c.diff);
      undos.set(toHex(c.hash), c.undo);
      const leaving = main[height - undoBlocks];
      if (leaving) undos.delete(toHex(leaving));
      main.push(c.hash);
      if (isSnapshotHeight(height, snapshotBlocks)) {
        snapshots.set(height, new Map(accounts));
        snapshots.delete(oldestKept(height, snapshotBlocks) - snapshotBlocks);
      }
      c.block.txs.forEach((tx, index) => {
        const txId = c.txIds[index]!;
        txs.set(toHex(txId), { blockHash: c.hash, height, index });
        for (const key of historyKeys(tx)) {
          const k = toHex(key);
          const list = history.get(k) ?? [];
          list.push({ height, index });
          history.set(k, list);
        }
      });
    },
    hasUndo: (hash) => undos.has(toHex(hash)),
    /** Not isolated: the chain runs it in one go; abort puts back the maps as they were. */
    beginSwitch() {
      const saved = {
        accounts: new Map(accounts),
        main: [...main],
        undos: new Map(undos),
        txs: new Map(txs),
        history: new Map([...history].map(([key, list]) => [key, [...list]])),
        snapshots: new Map(snapshots),
      };
      const putBack = <K, V>(map: Map<K, V>, from: Map<K, V>) => {
        map.clear();
        for (const [key, value] of from) map.set(key, value);
      };
      return {
        isolated: false,
        state: { getAccount: (key) => accounts.get(key) },
        disconnectTip: () => disconnectTip().hash,
        rewind: rewindSteps,
        connect: (c) => store.connectBlock(c),
        commit() {},
        abort() {
          putBack(accounts, saved.accounts);
          main.splice(0, main.length, ...saved.main);
          putBack(undos, saved.undos);
          putBack(txs, saved.txs);
          putBack(history, saved.history);
          putBack(snapshots, saved.snapshots);
        },
      };
    },
    deferDurability: (work) => work(),
    holdBlocks() {},
    getAccount: (key) => accounts.get(key),
    getTxLocation: (txId) => txs.get(toHex(txId)),
    txIdsBetween(low, high, limit) {
      const [from, to] = [toHex(low), toHex(high)];
      return [...txs.keys()]
        .filter((id) => id >= from && id <= to)
        .sort()
        .slice(0, limit)
        .map((id) => fromHex(id));
    },
    getHistory(key, limit, beforeHeight = Number.MAX_SAFE_INTEGER) {
      const list = history.get(key) ?? [];
      return list
        .filter((e) => e.height < beforeHeight)
        .sort((a, b) => b.height - a.height || b.index - a.index)
        .slice(0, limit);
    },
    countAccounts: () => accounts.size,
    loadPeers: () => [...peers.values()],
    savePeer: (peer) => void peers.set(peer.url, peer),
    deletePeer: (url) => void peers.delete(url),
    journalTxs(added, removed) {
      for (const tx of added) journal.set(toHex(tx.id), tx);
      for (const id of removed) journal.delete(toHex(id));
    },
    loadJournal: () => [...journal.values()],
    deleteBlocks(hashes) {
      const onMain = new Set(main.map(toHex));
      for (const hash of hashes) {
        if (onMain.has(toHex(hash))) throw new Error(`block ${toHex(hash)} is on the main chain`);
      }
      for (const hash of hashes) {
        blocks.delete(toHex(hash));
        views.delete(toHex(hash));
      }
    },
    getMeta: (key) => meta.get(key),
    setMeta: (key, value) => void meta.set(key, value),
    close() {},
  };
  return store;
}
