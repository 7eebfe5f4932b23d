/**
 * What each reorganisation did, told as a story: how deep it went, where the branches forked,
 * the blocks it left behind (and which main-chain block now stands at each height), the
 * transfers it returned to the mempool, those the new branch confirmed again, and those it
 * dropped — with the transfer each one conflicts with, when the new branch holds one.
 *
 * The chain says only "reorg from A to B"; the rest happens around it: blocks are disconnected
 * and connected, the mempool settles the touched senders when the chain emits `tip`. So the log
 * opens a window at the first block disconnected, gathers the blocks and the mempool's drops,
 * and closes it at `tip` (src/node/wireEvents.ts tells it after the mempool has settled),
 * when the outcome of every transfer is known. Then it emits one `reorg` with the whole record.
 *
 * NOTE: in memory and bounded (the last MAX_REORGS reorganisations, and when MAX_SEEN transfers
 * first entered the pool): after a restart a stale block still finds the block that replaced
 * it (the main chain at its height), but no longer the reorganisation that left it.
 */
import { EventEmitter } from 'node:events';
import type { BlockEntry } from '../chain/blockIndex.js';
import type { Chain } from '../chain/chain.js';
import { type Block, hashTx, ownTx, RecentMap, type Transfer, toHex } from '../core/index.js';
import type { DroppedTx } from './droppedTxs.js';
import type { Mempool, MempoolEntry } from './mempool.js';

export const MAX_REORGS = 500;
export const MAX_SEEN = 10_000;

export interface BlockRef {
  readonly hashHex: string;
  readonly height: number;
}

/** A transfer the reorganisation touched; `leftIn`: the old-branch block it was in, if any. */
export interface ReorgTx {
  readonly tx: Transfer;
  readonly idHex: string;
  readonly leftIn: BlockRef | undefined;
}

export interface ReorgDrop extends ReorgTx {
  readonly code: string;
  readonly message: string;
  /** The transfer of the new branch that took its place (same sender and nonce), if any. */
  readonly conflictsWith: string | undefined;
}

export interface ReorgRecord {
  /** Counts the node's reorganisations since it started, from 1. */
  readonly seq: number;
  readonly atMs: number;
  readonly depth: number;
  readonly forkPoint: BlockRef;
  readonly oldTip: BlockRef;
  readonly newTip: BlockRef;
  /** The old branch's blocks, lowest first, each with the main-chain block now at its height. */
  readonly leftBehind: readonly (BlockRef & {
    txCount: number;
    replacedBy: BlockRef | undefined;
  })[];
  /** The new branch's blocks, lowest first. */
  readonly joined: readonly BlockRef[];
  readonly returned: readonly ReorgTx[];
  readonly reconfirmed: readonly (ReorgTx & { nowIn: BlockRef })[];
  readonly dropped: readonly ReorgDrop[];
}

interface Window {
  readonly disconnected: { entry: BlockEntry; block: Block }[];
  readonly connected: { entry: BlockEntry; block: Block; txIds: readonly Uint8Array[] }[];
  readonly drops: Map<string, DroppedTx>;
  info?: { depth: number; oldTip: BlockEntry; newTip: BlockEntry; forkPoint: BlockEntry };
}

type ReorgInfo = NonNullable<Window['info']>;

const ref = (entry: BlockEntry): BlockRef => ({
  hashHex: entry.hashHex,
  height: entry.header.height,
});

export class ReorgLog extends EventEmitter<{ reorg: [record: ReorgRecord] }> {
  private readonly records: ReorgRecord[] = [];
  private readonly byTx = new Map<string, ReorgRecord[]>();
  private readonly byBlock = new Map<string, ReorgRecord>();
  private readonly seenAt = new RecentMap<string, number>(MAX_SEEN);
  private window: Window | undefined;
  private seq = 0;

  constructor(
    /** No index read: the story is told from the blocks the reorganisation moved (tell). */
    private readonly chain: Pick<Chain, 'isOnMain' | 'main'>,
    private readonly mempool: Mempool,
    private readonly now: () => number,
  ) {
    super();
  }

  // What the chain and the mempool tell it (src/node/wireEvents.ts): a reorg's story is gathered
  // from the first block disconnected to the tip it settles on.
  onDisconnected(entry: BlockEntry, block: Block): void {
    this.open().disconnected.push({ entry, block });
  }

  onConnected(entry: BlockEntry, block: Block, txIds: readonly Uint8Array[]): void {
    this.window?.connected.push({ entry, block, txIds });
  }

  onReorg(info: ReorgInfo): void {
    this.open().info = info;
  }

  onTip(): void {
    this.close();
  }

  onDropped(record: DroppedTx): void {
    this.window?.drops.set(record.idHex, record);
  }

  /** When each transfer was first seen, for the story of one a reorg dropped or confirmed again. */
  onAdded(entry: MempoolEntry): void {
    if (this.seenAt.has(entry.idHex)) return;
    this.seenAt.set(entry.idHex, entry.addedAtMs);
  }

  /** The latest reorganisations, newest first. */
  latest(limit = 20): ReorgRecord[] {
    return this.records.slice(-limit).reverse();
  }

  /** The reorganisations that touched a transfer, oldest first. */
  ofTx(idHex: string): readonly ReorgRecord[] {
    return this.byTx.get(idHex) ?? [];
  }

  /** The reorganisation that left this block off the main chain, if remembered. */
  ofBlock(hashHex: string): ReorgRecord | undefined {
    return this.byBlock.get(hashHex);
  }

  /** When the transfer first entered this node's mempool, if remembered. */
  firstSeen(idHex: string): number | undefined {
    return this.seenAt.get(idHex);
  }

  private open(): Window {
    this.window ??= { disconnected: [], connected: [], drops: new Map() };
    return this.window;
  }

  private close(): void {
    const window = this.window;
    this.window = undefined;
    // No `reorg`: the chain came back to the tip it had (a branch was invalid); nothing to tell.
    if (!window?.info) return;
    this.keep(this.tell(window, window.info));
  }

  private tell(window: Window, info: ReorgInfo): ReorgRecord {
    const { chain } = this;
    const left = unique(window.disconnected.filter(({ entry }) => !chain.isOnMain(entry)));
    const joined = unique(window.connected.filter(({ entry }) => chain.isOnMain(entry)));
    // The new branch's transfers by sender and nonce: what a dropped transfer conflicts with;
    // and by id: where a transfer left behind stands now, if the new branch confirmed it again
    // (it cannot be below the fork point). PERF: not the store's index (getTxLocation), which
    // probes each generation for an id it lacks, as every transfer returned to the mempool is:
    // ≈ 1.1-1.3 ms each at 500 generations (bench/lib/indexGenReads.ts), seconds for a full block.
    const newBySlot = new Map<string, string>();
    const newById = new Map<string, BlockEntry>();
    for (const { entry, block, txIds } of joined) {
      block.txs.forEach((tx, i) => {
        if (tx.type !== 'transfer') return;
        const idHex = toHex(txIds[i] ?? hashTx(tx));
        newBySlot.set(slot(tx), idHex);
        newById.set(idHex, entry);
      });
    }
    const returned: ReorgTx[] = [];
    const reconfirmed: (ReorgTx & { nowIn: BlockRef })[] = [];
    const dropped: ReorgDrop[] = [];
    const seen = new Set<string>();
    const drop = (touched: ReorgTx, record: DroppedTx | undefined) => {
      const conflictsWith = newBySlot.get(slot(touched.tx));
      const told = conflictsWith
        ? `conflicts with ${conflictsWith}: the new branch confirmed that transfer, from the same sender with the same nonce (${touched.tx.nonce}); at most one of them can ever be confirmed`
        : (record?.message ?? 'it left the mempool during the reorganisation');
      dropped.push({
        ...touched,
        code: record?.code ?? 'TX_NONCE_TOO_LOW',
        message: told,
        conflictsWith,
      });
      // The transaction page reads the mempool's record: let it tell the conflict too.
      if (record && conflictsWith) this.mempool.dropped.record({ ...record, message: told });
    };
    for (const { entry, block } of left) {
      for (const tx of block.txs) {
        if (tx.type !== 'transfer') continue;
        const idHex = toHex(hashTx(tx));
        seen.add(idHex);
        // ownTx: a synced block's transfers are views into its bytes (decodeBlock's views), which
        // the story would keep alive as long as it is remembered (MAX_REORGS). PERF: copying a
        // full block's 6,368 transfers costs 1.8–11 ms of CPU (5 runs, the first cold, load 8),
        // once per reorganisation.
        const touched: ReorgTx = { tx: ownTx(tx), idHex, leftIn: ref(entry) };
        const nowIn = newById.get(idHex);
        if (this.mempool.has(idHex)) returned.push(touched);
        else if (nowIn) reconfirmed.push({ ...touched, nowIn: ref(nowIn) });
        else drop(touched, window.drops.get(idHex) ?? this.mempool.dropped.get(idHex));
      }
    }
    // Transfers that were only pending, and that the new branch made invalid.
    for (const record of window.drops.values()) {
      if (!seen.has(record.idHex))
        drop({ tx: record.tx, idHex: record.idHex, leftIn: undefined }, record);
    }
    return {
      seq: ++this.seq,
      atMs: this.now(),
      depth: info.depth,
      forkPoint: ref(info.forkPoint),
      oldTip: ref(info.oldTip),
      newTip: ref(info.newTip),
      leftBehind: left.map(({ entry, block }) => {
        const main = chain.main[entry.header.height];
        return { ...ref(entry), txCount: block.txs.length, replacedBy: main && ref(main) };
      }),
      joined: joined.map(({ entry }) => ref(entry)),
      returned,
      reconfirmed,
      dropped,
    };
  }

  private keep(record: ReorgRecord): void {
    this.records.push(record);
    for (const block of record.leftBehind) this.byBlock.set(block.hashHex, record);
    for (const touched of [...record.returned, ...record.reconfirmed, ...record.dropped]) {
      const list = this.byTx.get(touched.idHex);
      if (list) list.push(record);
      else this.byTx.set(touched.idHex, [record]);
    }
    if (this.records.length > MAX_REORGS) this.forget(this.records.shift()!);
    this.emit('reorg', record);
  }

  private forget(old: ReorgRecord): void {
    for (const block of old.leftBehind) {
      if (this.byBlock.get(block.hashHex) === old) this.byBlock.delete(block.hashHex);
    }
    for (const touched of [...old.returned, ...old.reconfirmed, ...old.dropped]) {
      const list = this.byTx.get(touched.idHex)?.filter((r) => r !== old) ?? [];
      if (list.length > 0) this.byTx.set(touched.idHex, list);
      else this.byTx.delete(touched.idHex);
    }
  }
}

const slot = (tx: Transfer) => `${toHex(tx.from)}:${tx.nonce}`;

/** Blocks in height order, each once (a failed switch may disconnect and connect one again). */
function unique<T extends { entry: BlockEntry }>(items: readonly T[]): T[] {
  const byHash = new Map<string, T>();
  for (const item of items) byHash.set(item.entry.hashHex, item);
  return [...byHash.values()].sort((a, b) => a.entry.header.height - b.entry.header.height);
}
