/**
 * The chain: a block tree kept in the store, the main chain through the most cumulative work,
 * and reorganisation onto a heavier branch with undo data. Blocks are added one at a time (a
 * queue), each checked cheapest-first: context-free checks and proof of work on arrival, the
 * header against its own branch before it is stored, and the body (balances, nonces,
 * signatures) when it is connected. A block found invalid while connecting is marked so, with
 * everything built on it, and the node returns to its best valid branch.
 */
import { EventEmitter } from 'node:events';
import {
  type Account,
  type AccountReader,
  applyBlock,
  type Block,
  chainWorkAfter,
  checkBlock,
  fail,
  genesisBlock,
  hashHeader,
  hashTx,
  headerContext,
  isBetterTip,
  type NetworkParams,
  ok,
  type Result,
  toHex,
  validateHeader,
} from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';
import type { ChainStore } from '../storage/types.js';
import { type BlockEntry, BlockIndex } from './blockIndex.js';
import { OrphanPool } from './orphans.js';
import { verifyBlockSignatures } from './verifySignatures.js';

export type AddBlockOutcome =
  | { status: 'connected'; entry: BlockEntry; reorgDepth: number }
  | { status: 'side'; entry: BlockEntry }
  | { status: 'duplicate'; entry: BlockEntry }
  /** The parent is unknown: the caller should fetch `missingHex` (and its ancestors). */
  | { status: 'orphan'; hashHex: string; missingHex: string };

export interface ChainEvents {
  connected: [entry: BlockEntry, block: Block];
  disconnected: [entry: BlockEntry, block: Block];
  reorg: [info: { depth: number; oldTip: BlockEntry; newTip: BlockEntry; forkPoint: BlockEntry }];
  tip: [entry: BlockEntry];
  invalid: [entry: BlockEntry, code: string];
}

/**
 * A block the caller has in hand, with its transaction ids (checkBlock computed them): the switch
 * uses it instead of reading the block back from the store and hashing every transaction again.
 */
interface KnownBlock {
  readonly entry: BlockEntry;
  readonly block: Block;
  readonly txIds: readonly Uint8Array[];
}

export interface ChainOptions {
  readonly params: NetworkParams;
  readonly store: ChainStore;
  readonly verifier: NodeVerifier;
  readonly now: () => number;
  /** Transactions whose signatures are known good (the mempool's). */
  readonly alreadyVerified?: (txIdHex: string) => boolean;
}

export class Chain extends EventEmitter<ChainEvents> {
  readonly index = new BlockIndex();
  readonly orphans = new OrphanPool();
  private queue: Promise<unknown> = Promise.resolve();
  private seen = 0;
  /** Blocks connected or disconnected so far: tells whether a switch moved the main chain. */
  private moves = 0;

  private constructor(private readonly options: ChainOptions) {
    super();
  }

  /** Opens the chain in `store`, creating the genesis block in an empty one. */
  static async open(options: ChainOptions): Promise<Chain> {
    const chain = new Chain(options);
    await chain.load();
    return chain;
  }

  get params(): NetworkParams {
    return this.options.params;
  }

  get tip(): BlockEntry {
    return this.index.tip;
  }

  get store(): ChainStore {
    return this.options.store;
  }

  /** The account state at the tip. */
  get state(): AccountReader {
    return this.options.store;
  }

  getBlock(entry: BlockEntry): Block {
    const block = this.options.store.getBlock(entry.hash);
    if (!block) throw new Error(`block ${entry.hashHex} is indexed but not stored`);
    return block;
  }

  /** Resolves once every block handed to addBlock so far has been dealt with. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Adds a block from anywhere (the miner, the API, a peer). Calls run one at a time. */
  addBlock(block: Block): Promise<Result<AddBlockOutcome>> {
    const run = this.queue.then(() => this.add(block));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<void> {
    const { store, params } = this.options;
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
    for (const record of records) this.index.add(record);
    // NOTE: a loop, not Math.max(...records): spreading 100,000+ arguments overflows the stack.
    for (const record of records) this.seen = Math.max(this.seen, record.seenOrder + 1);
    // The main chain runs from the stored tip back to genesis; check it against the height index.
    const tipHex = toHex(store.getTipHash()!);
    const path: BlockEntry[] = [];
    for (let e = this.index.get(tipHex); e; e = e.parent) path.push(e);
    path.reverse();
    for (const entry of path) {
      const stored = store.getMainHash(entry.header.height);
      if (!stored || toHex(stored) !== entry.hashHex) {
        throw new Error(
          `main chain index disagrees with the tip's ancestry at height ${entry.header.height}`,
        );
      }
      this.index.main.push(entry);
    }
    // A node stopped in the middle of a reorganisation finishes it now.
    const best = this.index.bestLeaf();
    if (best !== this.tip) await this.switchTo(best);
  }

  private async add(block: Block): Promise<Result<AddBlockOutcome>> {
    const { params, store } = this.options;
    const checked = checkBlock(block, params);
    if (!checked.ok) return checked;
    const hashHex = toHex(checked.value.hash);
    const known = this.index.get(hashHex);
    if (known) {
      return known.invalid
        ? fail('BLOCK_INVALID_ANCESTOR', `block ${hashHex} is known to be invalid`)
        : ok({ status: 'duplicate', entry: known });
    }
    const parentHex = toHex(block.header.prevHash);
    const parent = this.index.get(parentHex);
    if (!parent) {
      this.orphans.add(hashHex, block);
      return ok({ status: 'orphan', hashHex, missingHex: parentHex });
    }
    if (parent.invalid) {
      return fail(
        'BLOCK_INVALID_ANCESTOR',
        `block ${hashHex} builds on invalid block ${parentHex}`,
      );
    }
    const ctx = headerContext(
      params,
      parent.header,
      parent.hash,
      (h) => this.index.ancestorAt(parent, h).header,
      this.options.now(),
    );
    const header = validateHeader(block.header, ctx);
    if (!header.ok) return header;

    const record = {
      hash: checked.value.hash,
      header: block.header,
      chainWork: chainWorkAfter(parent.chainWork, block.header.bits),
      seenOrder: this.seen++,
      invalid: false,
    };
    store.saveBlock(record, block);
    const entry = this.index.add(record);

    let outcome: Result<AddBlockOutcome> = ok({ status: 'side', entry });
    if (isBetterTip(entry, this.tip)) {
      const oldTip = this.tip;
      const switched = await this.switchTo(entry, { entry, block, txIds: checked.value.txIds });
      if (!switched.ok) outcome = switched;
      else if (this.tip === entry) {
        const forkPoint = this.index.forkPoint(oldTip, entry);
        outcome = ok({
          status: 'connected',
          entry,
          reorgDepth: oldTip.header.height - forkPoint.header.height,
        });
      }
    }
    for (const child of this.orphans.takeChildren(hashHex)) await this.add(child);
    return outcome;
  }

  /**
   * Moves the main chain to end at `target`. If a block of target's branch turns out invalid, it
   * and its descendants are marked, and the chain settles on the best valid leaf instead (often
   * the old tip again). Emits one `reorg` and one `tip` for the whole move. NOTE: `tip` comes
   * whenever blocks were connected or disconnected, even when the chain came back to the same
   * tip: listeners (the mempool) saw those blocks go and come, and settle on this event.
   */
  private async switchTo(target: BlockEntry, known?: KnownBlock): Promise<Result> {
    const oldTip = this.tip;
    const moves = this.moves;
    const first = await this.moveTo(target, known);
    let result = first;
    while (!result.ok) {
      const best = this.index.bestLeaf();
      if (best === this.tip) break;
      result = await this.moveTo(best);
    }
    if (this.moves !== moves) {
      const forkPoint = this.index.forkPoint(oldTip, this.tip);
      if (forkPoint !== oldTip) {
        const depth = oldTip.header.height - forkPoint.header.height;
        this.emit('reorg', { depth, oldTip, newTip: this.tip, forkPoint });
      }
      this.emit('tip', this.tip);
    }
    return first;
  }

  /**
   * Disconnects back to the fork point, then connects target's branch up to its first invalid
   * block. Signatures depend on nothing but the block, so the branch's are checked first, while
   * the chain is untouched; the switch itself then runs without a pause, and no reader (the API,
   * the mempool) ever sees the state halfway through a reorganisation.
   */
  private async moveTo(target: BlockEntry, known?: KnownBlock): Promise<Result> {
    const forkPoint = this.index.forkPoint(this.tip, target);
    const branch: BlockEntry[] = [];
    for (let e: BlockEntry | undefined = target; e && e !== forkPoint; e = e.parent) branch.push(e);
    branch.reverse();
    const alreadyVerified = this.options.alreadyVerified ?? (() => false);
    let badSignature: { at: number; failure: Result } | undefined;
    // PERF: the block just added (usually the whole branch) is not read back nor hashed again.
    const load = (entry: BlockEntry): KnownBlock => {
      if (known?.entry === entry) return known;
      const block = this.getBlock(entry);
      return { entry, block, txIds: block.txs.map(hashTx) };
    };
    for (const [at, entry] of branch.entries()) {
      const { block, txIds } = load(entry);
      const signatures = await verifyBlockSignatures(
        block,
        this.options.verifier,
        alreadyVerified,
        txIds,
      );
      if (!signatures.ok) {
        badSignature = { at, failure: signatures };
        break;
      }
    }
    while (this.tip !== forkPoint) this.disconnectTip();
    for (const [at, entry] of branch.entries()) {
      const connected = this.connect(
        load(entry),
        badSignature?.at === at ? badSignature.failure : ok(),
      );
      if (!connected.ok) {
        for (const bad of this.index.markInvalid(entry)) this.options.store.markInvalid(bad.hash);
        this.emit('invalid', entry, connected.code);
        return connected;
      }
    }
    return ok();
  }

  /** Applies and stores one block whose signatures were already checked (`signatures`). */
  private connect({ entry, block, txIds }: KnownBlock, signatures: Result): Result {
    const { params, store } = this.options;
    const effects = applyBlock(memoizedReader(store), block, params);
    if (!effects.ok) return effects;
    if (!signatures.ok) return signatures;
    store.connectBlock({
      hash: entry.hash,
      block,
      txIds,
      diff: effects.value.diff,
      undo: effects.value.undo,
    });
    this.index.main.push(entry);
    this.moves++;
    this.emit('connected', entry, block);
    return ok();
  }

  private disconnectTip(): void {
    const entry = this.tip;
    const { block } = this.options.store.disconnectTip();
    this.index.main.pop();
    this.moves++;
    this.emit('disconnected', entry, block);
  }
}

/**
 * The store's accounts, each read once. PERF: applyBlock reads an account up to five times per
 * transfer (sender and recipient, and each one's value before the block for the undo data), and
 * each read from SQLite is a query and a decode; the state does not change while a block applies.
 */
function memoizedReader(base: AccountReader): AccountReader {
  const read = new Map<string, Account | undefined>();
  return {
    getAccount(key) {
      if (read.has(key)) return read.get(key);
      const account = base.getAccount(key);
      read.set(key, account);
      return account;
    },
  };
}
