/**
 * Fixtures for the node's shells (storage, chain, mempool) on top of chainBuilder.ts: temp
 * directories, stores, a chain opened on easy proof of work, an event recorder, and helpers that
 * feed builder blocks to a chain. Nothing here sleeps: everything is awaited or recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockEntry } from '../../src/chain/blockIndex.js';
import { Chain, type ChainOptions } from '../../src/chain/chain.js';
import {
  type Account,
  applyBlock,
  type Block,
  chainWorkAfter,
  hashHeader,
  hashTx,
  type NetworkParams,
  type Tx,
  toHex,
} from '../../src/core/index.js';
import { createNodeVerifier, type NodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { Mempool, type MempoolEntry, type MempoolOptions } from '../../src/mempool/mempool.js';
import { MempoolJournal } from '../../src/mempool/mempoolJournal.js';
import { wireParts } from '../../src/node/wireEvents.js';
import { createMemoryStore } from '../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../src/storage/types.js';
import {
  alice,
  bob,
  type ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
  miner,
} from './chainBuilder.js';

export const everyone = [alice, bob, carol, miner];

/** A fresh temp directory and a function that removes it. */
export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'blockyard-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StoreKind {
  readonly name: string;
  /** Opens a new, empty store. */
  readonly create: () => ChainStore;
  /** Closes `store` and opens the same data again, where the kind keeps it. */
  readonly reopen?: (store: ChainStore) => ChainStore;
  readonly cleanup: () => void;
}

export function memoryKind(): StoreKind {
  return { name: 'memory', create: createMemoryStore, cleanup: () => {} };
}

/** SQLite stores in one temp directory, a new file for each create(). */
export function sqliteKind(): StoreKind {
  const temp = makeTempDir();
  const paths = new Map<ChainStore, string>();
  let count = 0;
  const open = (path: string) => {
    const store = openSqliteStore(path);
    paths.set(store, path);
    return store;
  };
  return {
    name: 'sqlite',
    create: () => open(join(temp.dir, `chain-${count++}.sqlite`)),
    reopen(store) {
      store.close();
      return open(paths.get(store)!);
    },
    cleanup() {
      for (const store of paths.keys()) {
        try {
          store.close();
        } catch {
          // already closed
        }
      }
      temp.remove();
    },
  };
}

/** A verifier that counts how many signatures it was asked to verify. */
export function countingVerifier(): NodeVerifier & { calls: () => number } {
  const inner = createNodeVerifier();
  let calls = 0;
  return {
    verify(key, message, signature) {
      calls++;
      return inner.verify(key, message, signature);
    },
    verifyAsync(key, message, signature) {
      calls++;
      return inner.verifyAsync(key, message, signature);
    },
    calls: () => calls,
  };
}

export function openChain(
  store: ChainStore = createMemoryStore(),
  options: Partial<ChainOptions> = {},
): Promise<Chain> {
  const params = options.params ?? easyParams;
  return Chain.open({
    params,
    store,
    verifier: createNodeVerifier(),
    now: () => defaultNowMs(params),
    ...options,
  });
}

export type ChainEvent =
  | { type: 'connected' | 'disconnected' | 'tip'; hashHex: string }
  | { type: 'reorg'; depth: number; oldTip: string; newTip: string; forkPoint: string }
  | { type: 'invalid'; hashHex: string; code: string };

/** Records every chain event in order; `take()` returns and clears them. */
export function recordEvents(chain: Chain): { events: ChainEvent[]; take: () => ChainEvent[] } {
  const events: ChainEvent[] = [];
  chain.on('connected', (e) => events.push({ type: 'connected', hashHex: e.hashHex }));
  chain.on('disconnected', (e) => events.push({ type: 'disconnected', hashHex: e.hashHex }));
  chain.on('tip', (e) => events.push({ type: 'tip', hashHex: e.hashHex }));
  chain.on('invalid', (e, code) => events.push({ type: 'invalid', hashHex: e.hashHex, code }));
  chain.on('reorg', (r) =>
    events.push({
      type: 'reorg',
      depth: r.depth,
      oldTip: r.oldTip.hashHex,
      newTip: r.newTip.hashHex,
      forkPoint: r.forkPoint.hashHex,
    }),
  );
  return { events, take: () => events.splice(0, events.length) };
}

export const hexOf = (block: Block): string => toHex(hashHeader(block.header));

/** Adds blocks one by one; throws on the first one the chain refuses. */
export async function feed(chain: Chain, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) {
    const result = await chain.addBlock(block);
    if (!result.ok) throw new Error(`block ${block.header.height}: ${result.code}`);
  }
}

/** The builder's blocks after genesis. */
export const afterGenesis = (builder: ChainBuilder): Block[] => builder.blocks.slice(1);

/** The hashes of the chain's main chain, genesis first. */
export const mainHexes = (chain: Chain): string[] => chain.main.map((e) => e.hashHex);

/** What the store says about the given accounts, by hex key. */
export function accountsOf(
  store: { getAccount(key: string): Account | undefined },
  keys: readonly Uint8Array[] = everyone.map((p) => p.key),
): Map<string, Account> {
  const found = new Map<string, Account>();
  for (const key of keys) {
    const account = store.getAccount(toHex(key));
    if (account) found.set(toHex(key), account);
  }
  return found;
}

/** Saves and connects builder blocks straight into a store, as the chain would. */
export function connectInto(store: ChainStore, blocks: readonly Block[], params: NetworkParams) {
  let work = 0n;
  blocks.forEach((block, seenOrder) => {
    const hash = hashHeader(block.header);
    work = chainWorkAfter(work, block.header.bits);
    store.saveBlock(
      { hash, header: block.header, chainWork: work, seenOrder, invalid: false },
      block,
    );
    const effects =
      block.header.height === 0
        ? { diff: new Map(), undo: new Map() }
        : unwrap(applyBlock(store, block, params));
    store.connectBlock({
      hash,
      block,
      txIds: block.txs.map(hashTx),
      diff: effects.diff,
      undo: effects.undo,
    });
  });
}

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; code: string }): T {
  if (!result.ok) throw new Error(`unexpected failure ${result.code}`);
  return result.value;
}

/** A mempool's removals in order, as [txid hex, reason]. */
export function recordRemovals(mempool: Mempool): Array<[string, string]> {
  const removed: Array<[string, string]> = [];
  mempool.on('removed', (entry: MempoolEntry, reason) => removed.push([entry.idHex, reason]));
  return removed;
}

export interface MempoolNode {
  readonly chain: Chain;
  readonly store: ChainStore;
  readonly mempool: Mempool;
  /** The mempool's journal, if asked for. */
  readonly journal: MempoolJournal | undefined;
  readonly verifier: ReturnType<typeof countingVerifier>;
  /** The mempool's clock: move `clock.nowMs` to age entries. */
  readonly clock: { nowMs: number };
}

/**
 * A chain on a memory store with `blocks` fed to it, and a mempool on it (and its journal if
 * `journaled`), wired as the node wires them (src/node/wireEvents.ts).
 */
export async function openMempoolNode(
  blocks: readonly Block[],
  options: Partial<MempoolOptions> = {},
  journaled = false,
): Promise<MempoolNode> {
  const verifier = countingVerifier();
  const clock = { nowMs: defaultNowMs(easyParams) };
  const store = createMemoryStore();
  const chain = await openChain(store, { verifier });
  await feed(chain, blocks);
  const mempool = new Mempool(chain, verifier, { now: () => clock.nowMs, ...options });
  const journal = journaled ? new MempoolJournal(store, mempool, () => 0) : undefined;
  wireParts({ chain, mempool, ...(journal ? { journal } : {}) });
  return { chain, store, mempool, journal, verifier, clock };
}

export const txHex = (tx: Tx): string => toHex(hashTx(tx));

export type { BlockEntry };
