/**
 * What the node keeps, behind one small synchronous interface (better-sqlite3 is synchronous,
 * and so is the memory adapter used by tests). Hashes and keys are raw bytes here; accounts are
 * keyed by the hex public key as in src/core/state.ts.
 */
import type { Account, AccountReader, Block, BlockHeader, StateDiff } from '../core/index.js';

/** A block the node has stored, on the main chain or a side branch. */
export interface BlockRecord {
  readonly hash: Uint8Array;
  readonly header: BlockHeader;
  /** Total work from genesis through this block. */
  readonly chainWork: bigint;
  /** Arrival order at this node: ties in work go to the lower one. */
  readonly seenOrder: number;
  /** Found invalid when connecting; never connected again. */
  readonly invalid: boolean;
}

/** Where a confirmed transaction sits. */
export interface TxLocation {
  readonly blockHash: Uint8Array;
  readonly height: number;
  readonly index: number;
}

/** A main-chain transaction touching an account: block.txs[index] of the block at `height`. */
export interface HistoryEntry {
  readonly height: number;
  readonly index: number;
}

/** A peer as stored: its URL and what is worth keeping across restarts. */
export interface PeerRecord {
  readonly url: string;
  /** Named by the operator (--peers, /nodes/register): kept and retried until removed. */
  readonly named: boolean;
  readonly addedMs: number;
  readonly lastSeenMs: number;
  /** Misbehaviour points as of scoreMs (they decay: src/p2p/peerBook.ts). */
  readonly score: number;
  readonly scoreMs: number;
  /** 0 when not banned. */
  readonly bannedUntilMs: number;
  /** Why it was banned (`CODE: detail`), '' if it never was. */
  readonly banReason: string;
}

/** A transfer the mempool holds, as journaled: its id, canonical bytes and arrival time. */
export interface JournaledTx {
  readonly id: Uint8Array;
  readonly bytes: Uint8Array;
  readonly addedMs: number;
}

/** Everything connecting one block changes, written in one transaction. */
export interface ConnectBlock {
  readonly hash: Uint8Array;
  readonly block: Block;
  readonly txIds: readonly Uint8Array[];
  readonly diff: StateDiff;
  readonly undo: StateDiff;
}

/** StoreSwitch.rewind's state transition: a block's diff and undo on `state`; throws if invalid. */
export type ReplayBlock = (
  block: Block,
  state: AccountReader,
) => { readonly diff: StateDiff; readonly undo: StateDiff };

/**
 * A move of the main chain written as one SQL transaction (ChainStore.beginSwitch): blocks taken
 * off (with their undo, or rewound past the undo window), the branch connected, then committed or
 * aborted whole. Until commit(), every read of the store but the switch's own (`state`) answers
 * as before the switch, if `isolated`: the caller may then run its steps over many turns of the
 * event loop. Not `isolated` (the memory store, a SQLite file in memory): readers see each write,
 * and the caller must run every step in one go.
 */
export interface StoreSwitch {
  readonly isolated: boolean;
  /** The accounts as the switch has written them so far. */
  readonly state: AccountReader;
  /** Takes the tip block off the main chain, the state restored from its undo data; its hash. */
  disconnectTip(): Uint8Array;
  /**
   * Takes every main-chain block above `height` off the main chain without their undo data, and
   * rebuilds the state as of `height` by applying the main chain's blocks again, up to `height`,
   * to the newest copy of the accounts at or below it (src/storage/stateSnapshots.ts), or to an
   * empty state from block 1 without one (genesis changes none): `replay` is the state transition
   * (core's applyBlock), `state` the accounts so far. One step (a block taken off, the copy
   * restored, a block replayed) each time the generator is resumed; returns the hashes of the
   * blocks taken off, tip first (their blocks stay stored: getBlock). PERF: not the blocks: 298
   * full blocks held decoded at once were +1.9 GB of RSS (bench/lib/deepRewind.ts).
   */
  rewind(height: number, replay: ReplayBlock): Generator<void, Uint8Array[]>;
  /** ChainStore.connectBlock's write. */
  connect(connect: ConnectBlock): void;
  /** Makes every write of the switch visible and durable as one connect's. */
  commit(): void;
  /** Undoes every write of the switch; nothing changed. */
  abort(): void;
}

/** ChainStore.connectTentatively's write, pending. */
export interface TentativeConnect {
  /** Keeps the write: false if it was undone meanwhile (connectBlock it again). */
  keep(): boolean;
  /** Undoes the write, unless that is done already. */
  drop(): void;
}

/** A block's JSON view, built once by the API (src/api/blockViews.ts) and kept beside it. */
export interface BlockView {
  readonly hash: Uint8Array;
  readonly txCount: number;
  /** The tutorial-style JSON of the block (src/api/views.ts tutorialBlock), UTF-8. */
  readonly tutorial: Uint8Array;
}

export interface ChainStore extends AccountReader {
  /**
   * Stores a block (header and body) not yet connected; a known hash is left as it is. `bytes`:
   * the block's canonical encoding if the caller has it (the bytes it was decoded from), stored
   * as they are instead of encoding the block again.
   */
  saveBlock(record: BlockRecord, block: Block, bytes?: Uint8Array): void;
  markInvalid(hash: Uint8Array): void;
  /** Every stored block's record, parents before children. */
  loadRecords(): BlockRecord[];
  /**
   * The same records one at a time, for rebuilding the block tree at start (loadBlockTree.ts):
   * read from the store as they are used, not all held at once. NOTE: nothing may write to the
   * store until the iteration ends (SQLite keeps its statement open meanwhile).
   */
  eachRecord(): Iterable<BlockRecord>;
  getBlock(hash: Uint8Array): Block | undefined;
  /** A stored block's canonical encoding (encodeBlock), to send to a peer without decoding it. */
  getBlockBytes(hash: Uint8Array): Uint8Array | undefined;

  /** The hash of the main chain's tip, undefined for an empty store. */
  /** A block's cached view, undefined until saveBlockViews stored one. */
  getBlockView(hash: Uint8Array): BlockView | undefined;
  /** Keeps views of stored blocks (a cache: losing one only means building it again). */
  saveBlockViews(views: readonly BlockView[]): void;

  getTipHash(): Uint8Array | undefined;
  getMainHash(height: number): Uint8Array | undefined;
  /** Makes a stored block the new tip: state, undo data, indexes, tip — atomically. */
  connectBlock(connect: ConnectBlock): void;
  /**
   * Writes connectBlock's changes while the block's signatures are still being checked: kept
   * (committed as connectBlock commits) or dropped (a signature failed: no trace of the block).
   * Until then, any other write or any read of the state, the indexes or the tip undoes it
   * first, so nothing sees the block early; keep() then answers false, and the caller calls
   * connectBlock. Optional: a store without it is only written once the signatures are good.
   */
  connectTentatively?(connect: ConnectBlock): TentativeConnect;
  /**
   * Whether the main-chain block `hash` still has its undo data: a store keeps it for its last
   * UNDO_BLOCKS blocks (undoWindow.ts). Absent: a store that keeps every block's.
   */
  hasUndo?(hash: Uint8Array): boolean;
  /**
   * Starts a move of the main chain (StoreSwitch): the block writes held so far are committed
   * first; until the switch commits or aborts, no other block write may come, and the others
   * (peers, journal, views, meta) wait for its end.
   */
  beginSwitch(): StoreSwitch;
  /** While a switch is under way: resolves once it has ended (the journal's writes are done). */
  switchEnded?(): Promise<void> | undefined;
  /**
   * Runs `work` with the commits made meanwhile written to disk together when the last such work
   * ends, instead of one by one. Each commit stays atomic: a crash or power cut meanwhile loses
   * at most the blocks connected since it began, never the store's consistency. For syncs,
   * whose blocks a peer still has.
   */
  deferDurability<T>(work: () => Promise<T>): Promise<T>;
  /**
   * true: the block writes that follow (saveBlock, connectBlock, markInvalid,
   * deleteBlocks) join one SQL transaction instead of committing one by one, each still atomic
   * within it; false: that transaction is committed. Any other write commits it first, so a
   * transfer's journal entry or a peer's record never waits on it, and a crash before the commit
   * leaves the store as it was after the last one: a consistent chain, without the held blocks.
   */
  holdBlocks(hold: boolean): void;

  getTxLocation(txId: Uint8Array): TxLocation | undefined;
  /** Ids of main-chain transactions from `low` to `high` (inclusive, byte order): a prefix search. */
  txIdsBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[];
  /** An account's transactions on the main chain, newest first. */
  getHistory(key: string, limit: number, beforeHeight?: number): HistoryEntry[];
  /** How many accounts exist (for /api/info). */
  countAccounts(): number;

  /** The peer book (src/p2p/peerBook.ts keeps it in memory and writes changes through). */
  loadPeers(): PeerRecord[];
  savePeer(peer: PeerRecord): void;
  deletePeer(url: string): void;

  /**
   * The mempool journal: transfers the node acknowledged, written before the acknowledgement
   * (src/mempool/mempoolJournal.ts). One call is one transaction: adds, then removals.
   */
  journalTxs(added: readonly JournaledTx[], removed: readonly Uint8Array[]): void;
  /** Every journaled transfer, oldest first. */
  loadJournal(): JournaledTx[];
  /** Deletes blocks that are not on the main chain (pruned side branches), atomically. */
  deleteBlocks(hashes: readonly Uint8Array[]): void;

  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}

export type { Account };
