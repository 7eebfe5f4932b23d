/**
 * The mempool journal (src/mempool/mempoolJournal.ts): what the mempool admits is in the store
 * once add() resolves, what leaves is deleted, and restore() admits it all again after a restart,
 * recording why a transfer that became invalid meanwhile is gone.
 */
import { describe, expect, it } from 'vitest';
import { COIN, toHex } from '../../../src/core/index.js';
import { Mempool, type MempoolEntry } from '../../../src/mempool/mempool.js';
import { MempoolJournal } from '../../../src/mempool/mempoolJournal.js';
import { wireParts } from '../../../src/node/wireEvents.js';
import { alice, bob, carol, fundedChain } from '../../support/chainBuilder.js';
import {
  afterGenesis,
  countingVerifier,
  feed,
  openMempoolNode,
  txHex,
  unwrap,
} from '../../support/nodeFixtures.js';

describe('the mempool journal', () => {
  it('during a switch of the main chain, acknowledges nothing until the switch has ended', async () => {
    let end = () => {};
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    let switching = true;
    const handed: number[] = [];
    // The store's part: during a switch it writes the journal's rows once the switch has ended.
    const store = {
      journalTxs: (added: readonly unknown[]) => void handed.push(added.length),
      loadJournal: () => [],
      getTxLocation: () => undefined,
      switchEnded: () => (switching ? ended : undefined),
    };
    const journal = new MempoolJournal(store, {} as Mempool, () => 1);
    const entry = { idHex: '00'.repeat(32), bytes: new Uint8Array([1]), addedAtMs: 1 };
    journal.onAdded(entry as unknown as MempoolEntry);
    let acknowledged = false;
    const durable = journal.durable().then(() => {
      acknowledged = true;
    });
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(handed).toEqual([1]);
    expect(acknowledged).toBe(false);
    switching = false;
    end();
    await durable;
    expect(acknowledged).toBe(true);
  });

  it('holds an admitted transfer once add() resolves, and lets go of it once mined', async () => {
    const chain = fundedChain();
    const node = await openMempoolNode(afterGenesis(chain), {}, true);
    const journal = node.journal!;
    const tx = chain.transfer(alice, bob, COIN);
    unwrap(await node.mempool.add(tx));
    expect(node.store.loadJournal().map((r) => toHex(r.id))).toEqual([txHex(tx)]);
    chain.mine({ transfers: [tx] });
    await feed(node.chain, [chain.tip]);
    await journal.durable();
    journal.flush();
    expect(node.store.loadJournal()).toEqual([]);
  });

  it('admits the journal again at a restart; one the chain made invalid is dropped with why', async () => {
    const chain = fundedChain();
    // Journaled as the node journals them.
    const node = await openMempoolNode(afterGenesis(chain), {}, true);
    const kept = chain.transfer(alice, bob, COIN);
    const next = chain.transfer(alice, carol, COIN, { nonce: 1n });
    unwrap(await node.mempool.add(kept));
    unwrap(await node.mempool.add(next));
    // The journal as a crash now would leave it.
    const rows = node.store.loadJournal();
    expect(rows).toHaveLength(2);
    // While the node is down, a block elsewhere spends alice's nonce 0 on another transfer.
    const rival = chain.transfer(alice, carol, 2n * COIN);
    chain.mine({ transfers: [rival] });
    await feed(node.chain, [chain.tip]);

    const restarted = new Mempool(node.chain, node.verifier, { now: () => 5 });
    const again = new MempoolJournal(node.store, restarted, () => 5);
    wireParts({ chain: node.chain, mempool: restarted, journal: again });
    node.store.journalTxs(rows, []);
    const restored = await again.restore();
    expect(restored).toEqual({ admitted: 1, dropped: 1 });
    expect(restarted.has(txHex(next))).toBe(true);
    const dropped = restarted.dropped.get(txHex(kept))!;
    expect(dropped.code).toBe('TX_NONCE_TOO_LOW');
    expect(dropped.message).toMatch(/found at restart/);
    expect(node.store.loadJournal().map((r) => toHex(r.id))).toEqual([txHex(next)]);
  });

  it('answers "already pending" only once that transfer is on disk, decided this turn or before', async () => {
    const chain = fundedChain();
    const node = await openMempoolNode(afterGenesis(chain), {}, true);
    const journaled = () => node.store.loadJournal().map((r) => toHex(r.id));
    // A verifier that answers in the same turn: a batch and its retry are decided together.
    const inner = countingVerifier();
    const mempool = new Mempool(
      node.chain,
      { ...inner, verifyAsync: async (...a) => inner.verify(...a) },
      {
        now: () => 0,
      },
    );
    wireParts({
      chain: node.chain,
      mempool,
      journal: new MempoolJournal(node.store, mempool, () => 0),
    });

    const tx = chain.transfer(alice, bob, COIN);
    const first = mempool.addBatch([tx]);
    const [retried] = await mempool.addBatch([tx]);
    expect(retried).toMatchObject({ ok: false, code: 'TX_ALREADY_KNOWN' });
    expect(journaled()).toEqual([txHex(tx)]);
    await first;

    // Refused before its signature is checked: the pool holds it, its commit has not run yet.
    const next = chain.transfer(alice, bob, COIN, { nonce: 1n });
    let early: Promise<unknown> | undefined;
    mempool.once('added', () => {
      early = mempool.add(next).then((again) => {
        expect(again).toMatchObject({ ok: false, code: 'TX_ALREADY_KNOWN' });
        expect(journaled()).toContain(txHex(next));
      });
    });
    unwrap(await mempool.add(next));
    await early;
    expect(early).toBeDefined();
  });

  it('keeps each transfer as old as it was at a restart: it expires a day after it came', async () => {
    const chain = fundedChain();
    const node = await openMempoolNode(afterGenesis(chain), {}, true);
    const tx = chain.transfer(alice, bob, COIN);
    unwrap(await node.mempool.add(tx));
    const cameAt = node.clock.nowMs;
    const day = 24 * 60 * 60 * 1000;
    // Restarted an hour before its day is up.
    let nowMs = cameAt + day - 60 * 60 * 1000;
    const restarted = new Mempool(node.chain, node.verifier, { now: () => nowMs, maxAgeMs: day });
    const again = new MempoolJournal(node.store, restarted, () => nowMs);
    wireParts({ chain: node.chain, mempool: restarted, journal: again });
    expect(await again.restore()).toEqual({ admitted: 1, dropped: 0 });
    expect(restarted.get(txHex(tx))?.addedAtMs).toBe(cameAt);
    restarted.expire();
    expect(restarted.has(txHex(tx))).toBe(true);

    nowMs = cameAt + day + 1;
    restarted.expire();
    expect(restarted.has(txHex(tx))).toBe(false);
    expect(restarted.dropped.get(txHex(tx))?.code).toBe('MEMPOOL_EXPIRED');
    await again.durable();
    expect(node.store.loadJournal()).toEqual([]);
  });
});
