/**
 * A block's connect is written to SQLite while its signatures are still being checked
 * (ChainStore.connectTentatively): kept once they are all good, and otherwise gone without a
 * trace, as if it had never been written. Whatever needs the database in between (a read of the
 * state or the indexes, another write) undoes the write first, so nothing sees the block before
 * it is valid, and nothing the block did not do is lost with it. Checked with a second connection
 * to the file, which sees only what was committed (what a node killed then would reopen on).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Block, COIN, hashTx, type Transfer, toHex } from '../../../src/core/index.js';
import { createNodeVerifier, type NodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { MIN_BATCHED_ROWS } from '../../../src/storage/indexRows.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore, PeerRecord } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, miner, reseal } from '../../support/chainBuilder.js';
import { afterGenesis, feed, hexOf, makeTempDir, openChain } from '../../support/nodeFixtures.js';

const inner = createNodeVerifier();
afterAll(() => inner.close?.());
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * A verifier whose answers, once `arm()`ed, wait for `release()`, and a store that says when a
 * connect was written tentatively (`written()`): the test acts in between.
 */
function gated(store: ChainStore) {
  let gate: Promise<void> | undefined;
  let release = () => {};
  let onWrite = () => {};
  const verifier: NodeVerifier = {
    verify: inner.verify,
    verifyAsync: async (key, message, signature) => {
      await gate;
      return inner.verifyAsync(key, message, signature);
    },
  };
  const watched: ChainStore = {
    ...store,
    connectTentatively(c) {
      const pending = store.connectTentatively!(c);
      onWrite();
      return pending;
    },
  };
  return {
    verifier,
    store: watched,
    /** The next answers wait; resolves once the next connect is written tentatively. */
    arm(): Promise<void> {
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return new Promise((resolve) => {
        onWrite = resolve;
      });
    },
    release: () => release(),
  };
}

function openFile() {
  const temp = makeTempDir();
  const path = join(temp.dir, 'chain.sqlite');
  const store = openSqliteStore(path);
  const reader = new Database(path, { readonly: true });
  const tip = reader.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'tip'");
  const txs = reader.prepare<[], { n: bigint }>('SELECT count(*) AS n FROM txs');
  reader.defaultSafeIntegers(true);
  cleanups.push(() => {
    reader.close();
    try {
      store.close();
    } catch {
      // closed by the test
    }
    temp.remove();
  });
  return {
    store,
    path,
    committed: () => ({ tip: tip.get()?.value, txs: Number(txs.get()!.n) }),
  };
}

/** Blocks 1–2 pay the miner; block 3 sends alice 5 coins, block 4 (next) alice → bob. */
function scenario() {
  const b = new ChainBuilder();
  b.mine();
  b.mine();
  b.mine({ transfers: [b.transfer(miner, alice, 5n * COIN)] });
  const next = b.next({ transfers: [b.transfer(alice, bob, COIN), b.transfer(miner, bob, COIN)] });
  return { b, before: afterGenesis(b), next };
}

/** `block` with its transfer `index`'s signature altered, its merkle root and proof of work redone. */
function badSignature(block: Block, index: number): Block {
  const txs = block.txs.map((tx, i) => {
    if (i !== index) return tx;
    const signature = new Uint8Array((tx as Transfer).signature);
    signature[5]! ^= 1;
    return { ...(tx as Transfer), signature };
  });
  return reseal(block, txs);
}

const txCount = (blocks: readonly Block[]): number =>
  blocks.reduce((n, block) => n + block.txs.length, 0);

const peer: PeerRecord = {
  url: 'http://127.0.0.1:1',
  named: false,
  addedMs: 1,
  lastSeenMs: 1,
  score: 0,
  scoreMs: 1,
  bannedUntilMs: 0,
  banReason: '',
};

describe('a connect written while its signatures are checked', () => {
  it('is kept when they are good, and leaves no trace when one is bad', async () => {
    const { before, next } = scenario();
    const file = openFile();
    const chain = await openChain(file.store, { verifier: inner });
    await feed(chain, before);
    const tipBefore = file.committed();
    const bad = badSignature(next, 2);

    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(file.committed()).toEqual(tipBefore);
    expect(toHex(file.store.getTipHash()!)).toBe(chain.tip.hashHex);
    expect(chain.tip.hashHex).toBe(hexOf(before.at(-1)!));
    for (const tx of bad.txs) expect(file.store.getTxLocation(hashTx(tx))).toBeUndefined();
    expect(file.store.getHistory(toHex(bob.key), 10)).toEqual([]);
    expect(file.store.getAccount(toHex(bob.key))).toBeUndefined();
    expect(chain.state.getAccount(toHex(alice.key))?.balance).toBe(5n * COIN);

    // The good block connects on the same tip, and is what the file holds after a reopen.
    expect(await chain.addBlock(next)).toMatchObject({ ok: true, value: { status: 'connected' } });
    expect(file.committed().tip).toBe(hexOf(next));
    file.store.close();
    const reopened = openSqliteStore(file.path);
    cleanups.push(() => reopened.close());
    expect(toHex(reopened.getTipHash()!)).toBe(hexOf(next));
    expect(reopened.getAccount(toHex(bob.key))?.balance).toBe(2n * COIN);
    expect(reopened.getTxLocation(hashTx(next.txs[1]!))).toMatchObject({ height: 4, index: 1 });
  });

  it('leaves none of the index rows of a block of many transfers (batched) when one is bad', async () => {
    const { b, before } = scenario();
    // Enough transfers for the batched statements (storage/indexRows.ts), bad one the last.
    const count = MIN_BATCHED_ROWS + 2;
    const many = b.next({
      transfers: Array.from({ length: count }, (_, i) =>
        b.transfer(alice, bob, 1n, { nonce: BigInt(i) }),
      ),
    });
    const file = openFile();
    const g = gated(file.store);
    const chain = await openChain(g.store, { verifier: g.verifier });
    await feed(chain, before);
    const bad = badSignature(many, count);
    // Its rows are written (tentatively) while the signatures are checked, then rolled back.
    const written = g.arm();
    const added = chain.addBlock(bad);
    await written;
    g.release();
    expect(await added).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(file.committed()).toEqual({ tip: hexOf(before.at(-1)!), txs: txCount(b.blocks) });
    for (const tx of bad.txs) expect(file.store.getTxLocation(hashTx(tx))).toBeUndefined();
    expect(file.store.getHistory(toHex(bob.key), 100)).toEqual([]);
    // The good block's rows are all there, by the same statements.
    expect(await chain.addBlock(many)).toMatchObject({ ok: true, value: { status: 'connected' } });
    expect(file.committed()).toEqual({ tip: hexOf(many), txs: txCount(b.blocks) + count + 1 });
    expect(file.store.getHistory(toHex(bob.key), 100)).toHaveLength(count);
  });

  it('is undone by a read meanwhile, which sees the state before the block', async () => {
    const { before, next } = scenario();
    const file = openFile();
    const g = gated(file.store);
    const chain = await openChain(g.store, { verifier: g.verifier });
    await feed(chain, before);

    const written = g.arm();
    const added = chain.addBlock(next);
    await written;
    // The read undoes the pending write: it answers for the tip the chain has.
    expect(file.store.getAccount(toHex(bob.key))).toBeUndefined();
    expect(file.store.getTxLocation(hashTx(next.txs[1]!))).toBeUndefined();
    expect(toHex(file.store.getTipHash()!)).toBe(hexOf(before.at(-1)!));
    g.release();
    expect(await added).toMatchObject({ ok: true, value: { status: 'connected' } });
    // Written again, the usual way, once the signatures were found good.
    expect(file.committed().tip).toBe(hexOf(next));
    expect(file.store.getAccount(toHex(bob.key))?.balance).toBe(2n * COIN);
    expect(file.store.getTxLocation(hashTx(next.txs[1]!))).toMatchObject({ height: 4, index: 1 });
  });

  it('is not committed by another write meanwhile; a bad signature loses only itself', async () => {
    const { b, before, next } = scenario();
    const file = openFile();
    const g = gated(file.store);
    const chain = await openChain(g.store, { verifier: g.verifier });
    await feed(chain, before);

    const written = g.arm();
    const added = chain.addBlock(badSignature(next, 1));
    await written;
    file.store.savePeer(peer);
    expect(file.committed()).toEqual({ tip: hexOf(before.at(-1)!), txs: txCount(b.blocks) });
    g.release();
    expect(await added).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(file.committed()).toEqual({ tip: hexOf(before.at(-1)!), txs: txCount(b.blocks) });
    expect(file.store.loadPeers().map((p) => p.url)).toEqual([peer.url]);
    expect(file.store.getAccount(toHex(bob.key))).toBeUndefined();
  });

  it('in the middle of a sync (held writes): blocks before the bad one stay, nothing of it', async () => {
    const { b, before, next } = scenario();
    b.append(next);
    const after = b.next({ transfers: [b.transfer(bob, alice, COIN / 2n)] });
    const file = openFile();
    const chain = await openChain(file.store, { verifier: inner });
    await feed(chain, before.slice(0, 2));
    const [third] = before.slice(2);
    const held = { held: true } as const;
    expect(await chain.addBlock(third!, held)).toMatchObject({ ok: true });
    expect(await chain.addBlock(next, held)).toMatchObject({ ok: true });
    const refused = await chain.addBlock(badSignature(after, 1), held);
    expect(refused).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    chain.commitHeld();
    expect(file.committed()).toEqual({ tip: hexOf(next), txs: txCount(b.blocks) });
    expect(file.store.getHistory(toHex(bob.key), 10)).toEqual([
      { height: 4, index: 2 },
      { height: 4, index: 1 },
    ]);
    expect(file.store.getAccount(toHex(bob.key))?.balance).toBe(2n * COIN);
    expect(await chain.addBlock(after, held)).toMatchObject({
      ok: true,
      value: { status: 'connected' },
    });
  });
});
