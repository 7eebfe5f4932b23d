/**
 * Mempool admission against the tip state plus the sender's pending transfers: the codes, the
 * nonce sequence, replace-by-fee, the count limit with eviction, and expiry.
 */
import { describe, expect, it } from 'vitest';
import {
  COIN,
  type Coinbase,
  encodeTx,
  hashTx,
  MAX_MONEY,
  type Transfer,
  toHex,
} from '../../../src/core/index.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { MIN_JOB } from '../../../src/mempool/signatureBatch.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
  fundedChain,
  miner,
  paramsWithGenesis,
} from '../../support/chainBuilder.js';
import { codeOf } from '../../support/codeOf.js';
import {
  afterGenesis,
  feed,
  openChain,
  openMempoolNode,
  recordRemovals,
  txHex,
  unwrap,
} from '../../support/nodeFixtures.js';

/** Genesis; block 1 pays the miner; block 2 pays alice and bob 10 coins each from it. */

async function setup(maxCount?: number, maxAgeMs?: number) {
  const b = fundedChain();
  const node = await openMempoolNode(afterGenesis(b), {
    ...(maxCount === undefined ? {} : { maxCount }),
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
  });
  return { b, ...node, removed: recordRemovals(node.mempool) };
}

function badlySigned(tx: Transfer): Transfer {
  const signature = Uint8Array.from(tx.signature);
  signature[0]! ^= 1;
  return { ...tx, signature };
}

describe('admission', () => {
  it('keeps the bytes a transfer was decoded from, hashes them for its id, or encodes it once', async () => {
    const { b, mempool } = await setup();
    const given = b.transfer(alice, bob, 1n * COIN);
    const bytes = encodeTx(given);
    const entry = unwrap(await mempool.add(given, bytes));
    expect(entry.bytes).toBe(bytes);
    expect(entry.idHex).toBe(toHex(hashTx(given)));
    const encoded = b.transfer(alice, carol, 1n * COIN, { nonce: 1n });
    const other = unwrap(await mempool.add(encoded));
    expect(other.bytes).toEqual(encodeTx(encoded));
    expect(other.idHex).toBe(toHex(hashTx(encoded)));
  });

  it('admits a valid transfer, and says what it holds', async () => {
    const { b, mempool } = await setup();
    const added: string[] = [];
    mempool.on('added', (entry) => added.push(entry.idHex));
    const tx = b.transfer(alice, bob, 1n * COIN);
    const entry = unwrap(await mempool.add(tx));
    expect(entry).toMatchObject({ idHex: txHex(tx), tx });
    expect(added).toEqual([txHex(tx)]);
    expect(mempool.size).toBe(1);
    expect(mempool.has(txHex(tx))).toBe(true);
    expect(mempool.get(txHex(tx))?.tx).toEqual(tx);
    expect(mempool.pendingOf(entry.senderHex).map((e) => e.idHex)).toEqual([txHex(tx)]);
    expect(mempool.nextNonce(entry.senderHex)).toBe(1n);
    expect(mempool.isVerified(txHex(tx))).toBe(true);
  });

  it('refuses with a code: known, nonce low or high, bad signature, coinbase, wrong chain', async () => {
    const { b, mempool } = await setup();
    const first = b.transfer(alice, bob, 1n * COIN);
    await mempool.add(first);
    const coinbase: Coinbase = b.coinbase(1n);
    const cases: Array<[string, Parameters<typeof mempool.add>[0]]> = [
      ['TX_ALREADY_KNOWN', first],
      // The miner's nonces 0 and 1 are confirmed in block 2.
      ['TX_NONCE_TOO_LOW', b.transfer(miner, carol, 1n, { nonce: 1n })],
      ['TX_NONCE_TOO_HIGH', b.transfer(alice, bob, 1n, { nonce: 2n })],
      ['TX_NONCE_TOO_HIGH', b.transfer(bob, alice, 1n, { nonce: 1n })],
      ['TX_BAD_SIGNATURE', badlySigned(b.transfer(bob, alice, 1n))],
      ['TX_COINBASE_NOT_ALLOWED', coinbase],
      ['TX_WRONG_CHAIN', b.transfer(bob, alice, 1n, { chainId: 77 })],
      ['TX_INSUFFICIENT_FUNDS', b.transfer(carol, alice, 1n)],
      // docs/protocol.md's order: a used nonce before the signature, a gap or funds after it
      // (a transfer still in flight may cure those): a forged one is blamed as forged.
      ['TX_NONCE_TOO_LOW', badlySigned(b.transfer(miner, carol, 1n, { nonce: 1n }))],
      ['TX_BAD_SIGNATURE', badlySigned(b.transfer(bob, alice, 1n, { nonce: 5n }))],
      ['TX_BAD_SIGNATURE', badlySigned(b.transfer(carol, alice, 1n))],
      // A pending transfer holds alice's nonce 0 at the same fee: a conflict, told after the
      // signature like a gap (the one pending may still leave).
      ['MEMPOOL_NONCE_CONFLICT', b.transfer(alice, carol, 1n)],
      ['TX_BAD_SIGNATURE', badlySigned(b.transfer(alice, carol, 1n))],
    ];
    for (const [code, tx] of cases)
      expect([code, codeOf(await mempool.add(tx))]).toEqual([code, code]);
    expect(mempool.size).toBe(1);
  });

  it("counts the sender's pending transfers against its balance", async () => {
    const { b, mempool } = await setup();
    // alice holds 10 coins; fees are 1000 base units each.
    expect(codeOf(await mempool.add(b.transfer(alice, bob, 6n * COIN)))).toBe('ok');
    const tooMuch = b.transfer(alice, bob, 4n * COIN, { nonce: 1n });
    expect(codeOf(await mempool.add(tooMuch))).toBe('TX_INSUFFICIENT_FUNDS');
    const fits = b.transfer(alice, bob, 4n * COIN - 2000n, { nonce: 1n });
    expect(codeOf(await mempool.add(fits))).toBe('ok');
    // Incoming pending payments are not spendable: carol gets 1 coin, still cannot pay.
    await mempool.add(b.transfer(bob, carol, 1n * COIN));
    expect(codeOf(await mempool.add(b.transfer(carol, alice, 1n)))).toBe('TX_INSUFFICIENT_FUNDS');
  });

  it("refuses a transfer that would take the recipient's balance above MAX_MONEY", async () => {
    // Blocks of 2^62 units: the miner gets one, bob two less one unit: MAX_MONEY.
    const params = paramsWithGenesis(easyParams, { initialSubsidy: 1n << 62n });
    const b = new ChainBuilder(params);
    b.mine();
    b.mine({ minerKey: bob.key });
    b.mine({ minerKey: bob.key, coinbaseAmount: (1n << 62n) - 1n });
    const chain = await openChain(createMemoryStore(), { params });
    await feed(chain, afterGenesis(b));
    expect(chain.state.getAccount(toHex(bob.key))?.balance).toBe(MAX_MONEY);
    const mempool = new Mempool(chain, createNodeVerifier(), { now: () => defaultNowMs(params) });
    expect(codeOf(await mempool.add(b.transfer(miner, bob, 1n)))).toBe('TX_BALANCE_OVERFLOW');
    expect(codeOf(await mempool.add(b.transfer(miner, alice, 1n)))).toBe('ok');
  });

  it('replaces a pending transfer by one with the same nonce and a higher fee', async () => {
    const { b, mempool, removed } = await setup();
    const n0 = b.transfer(alice, bob, 1n * COIN, { fee: 1000n });
    const n1 = b.transfer(alice, bob, 1n * COIN, { nonce: 1n, fee: 1000n });
    const n2 = b.transfer(alice, bob, 1n * COIN, { nonce: 2n, fee: 1000n });
    for (const tx of [n0, n1, n2]) unwrap(await mempool.add(tx));

    const same = b.transfer(alice, carol, 1n * COIN, { nonce: 1n, fee: 1000n });
    const lower = b.transfer(alice, carol, 1n * COIN, { nonce: 1n, fee: 999n });
    expect(codeOf(await mempool.add(same))).toBe('MEMPOOL_NONCE_CONFLICT');
    expect(codeOf(await mempool.add(lower))).toBe('MEMPOOL_NONCE_CONFLICT');
    // Higher fee, but with the others pending it costs more than alice has.
    const greedy = b.transfer(alice, carol, 8n * COIN, { nonce: 1n, fee: 2000n });
    expect(codeOf(await mempool.add(greedy))).toBe('TX_INSUFFICIENT_FUNDS');

    const better = b.transfer(alice, carol, 2n * COIN, { nonce: 1n, fee: 5000n });
    expect(codeOf(await mempool.add(better))).toBe('ok');
    expect(removed).toEqual([[txHex(n1), 'REPLACED']]);
    expect(mempool.has(txHex(n1))).toBe(false);
    expect(mempool.size).toBe(3);
    const queue = mempool.pendingOf(toHex(alice.key));
    expect(queue.map((e) => e.idHex)).toEqual([n0, better, n2].map(txHex));
    expect(mempool.nextNonce(toHex(alice.key))).toBe(3n);
  });

  it('decides transfers submitted together in arrival order: n and n + 1 both enter', async () => {
    const { b, mempool } = await setup();
    const txs = [0n, 1n, 2n].map((nonce) => b.transfer(alice, bob, 1n * COIN, { nonce }));
    const results = await Promise.all(txs.map((tx) => mempool.add(tx)));
    expect(results.map(codeOf)).toEqual(['ok', 'ok', 'ok']);
    // The same transfer twice at once: one enters, one is known.
    const again = b.transfer(bob, alice, 1n);
    const twice = await Promise.all([mempool.add(again), mempool.add(again)]);
    expect(twice.map(codeOf).sort()).toEqual(['TX_ALREADY_KNOWN', 'ok']);
    expect(mempool.size).toBe(4);
  });

  it('decides single transfers checked in several worker jobs in arrival order', async () => {
    const b = fundedChain();
    const chain = await openChain();
    await feed(chain, afterGenesis(b));
    const verifier = createNodeVerifier();
    const mempool = new Mempool(chain, verifier, { now: () => defaultNowMs(easyParams) });
    try {
      // Offered in one turn: more than one job's worth (signatureBatch.ts MIN_JOB), one bad.
      const txs = Array.from({ length: 3 * MIN_JOB + 1 }, (_, i) =>
        b.transfer(alice, bob, COIN / 10n, { nonce: BigInt(i) }),
      );
      txs[10] = badlySigned(txs[10]!);
      const results = await Promise.all(txs.map((tx) => mempool.add(tx)));
      expect(results.map(codeOf)).toEqual(
        txs.map((_, i) => (i < 10 ? 'ok' : i === 10 ? 'TX_BAD_SIGNATURE' : 'TX_NONCE_TOO_HIGH')),
      );
      expect(mempool.pendingOf(toHex(alice.key)).map((e) => e.idHex)).toEqual(
        txs.slice(0, 10).map(txHex),
      );
    } finally {
      await verifier.close?.();
    }
  });
});

describe('batches', () => {
  /** Transfers of every outcome, in an order where earlier ones decide later ones' codes. */
  function mixed(b: ChainBuilder): Parameters<Mempool['add']>[0][] {
    const first = b.transfer(alice, bob, 1n * COIN);
    return [
      first,
      first,
      b.transfer(miner, carol, 1n, { nonce: 1n }),
      badlySigned(b.transfer(bob, alice, 1n)),
      b.transfer(bob, alice, 1n, { nonce: 1n }),
      b.transfer(alice, carol, 1n),
      b.transfer(alice, carol, 1n, { nonce: 1n }),
      b.coinbase(1n),
      b.transfer(bob, alice, 1n),
      b.transfer(bob, alice, 1n, { nonce: 1n }),
      badlySigned(b.transfer(miner, carol, 1n, { nonce: 1n })),
      b.transfer(carol, alice, 1n),
    ];
  }

  it('gives each transfer of a batch the answer and events add() gives it, in order', async () => {
    const one = await setup();
    const all = await setup();
    const events = (mempool: Mempool) => {
      const seen: string[] = [];
      mempool.on('added', (e) => seen.push(`added ${e.idHex}`));
      mempool.on('refused', (id, code) => seen.push(`refused ${id} ${code}`));
      return seen;
    };
    const [oneEvents, allEvents] = [events(one.mempool), events(all.mempool)];
    const txs = mixed(one.b);
    const sequential = [];
    for (const tx of txs) sequential.push(codeOf(await one.mempool.add(tx)));
    const together = (await all.mempool.addBatch(txs)).map(codeOf);
    expect(together).toEqual(sequential);
    expect(together).toEqual([
      'ok',
      'TX_ALREADY_KNOWN',
      'TX_NONCE_TOO_LOW',
      'TX_BAD_SIGNATURE',
      'TX_NONCE_TOO_HIGH',
      'MEMPOOL_NONCE_CONFLICT',
      'ok',
      'TX_COINBASE_NOT_ALLOWED',
      'ok',
      'ok',
      'TX_NONCE_TOO_LOW',
      'TX_INSUFFICIENT_FUNDS',
    ]);
    // A used nonce is told at once, before what waits for its signature is decided.
    expect([...allEvents].sort()).toEqual([...oneEvents].sort());
    expect(all.mempool.entries().map((e) => e.idHex)).toEqual(
      one.mempool.entries().map((e) => e.idHex),
    );
    expect(await all.mempool.addBatch([])).toEqual([]);
  });
});

describe('limits', () => {
  it('evicts the cheapest last-in-line transfer, or refuses when the fee is not higher', async () => {
    const { b, mempool, removed } = await setup(3);
    const a0 = b.transfer(alice, bob, 1n, { fee: 5000n });
    const a1 = b.transfer(alice, bob, 1n, { nonce: 1n, fee: 1000n });
    const b0 = b.transfer(bob, alice, 1n, { fee: 2000n });
    for (const tx of [a0, a1, b0]) unwrap(await mempool.add(tx));

    // a1 is the cheapest tail (a0 is cheaper than nothing but is not last in alice's line).
    const m2 = b.transfer(miner, carol, 1n, { nonce: 2n, fee: 1000n });
    expect(codeOf(await mempool.add(m2))).toBe('MEMPOOL_FULL');
    const m2better = b.transfer(miner, carol, 1n, { nonce: 2n, fee: 1500n });
    expect(codeOf(await mempool.add(m2better))).toBe('ok');
    expect(removed).toEqual([[txHex(a1), 'EVICTED']]);
    expect(mempool.size).toBe(3);
    expect(mempool.has(txHex(a0))).toBe(true);
    // A replacement needs no room.
    const b0better = b.transfer(bob, carol, 1n, { fee: 2500n });
    expect(codeOf(await mempool.add(b0better))).toBe('ok');
    expect(mempool.size).toBe(3);
  });

  it("never evicts the sender's own last transfer to make room for its next", async () => {
    const { b, mempool, removed } = await setup(3);
    const a0 = b.transfer(alice, bob, 1n, { fee: 1000n });
    const b0 = b.transfer(bob, alice, 1n, { fee: 3000n });
    const m2 = b.transfer(miner, carol, 1n, { nonce: 2n, fee: 4000n });
    for (const tx of [a0, b0, m2]) unwrap(await mempool.add(tx));

    // alice's a0 is the cheapest tail, but a1 depends on it: bob's b0 goes instead.
    const a1 = b.transfer(alice, bob, 1n, { nonce: 1n, fee: 5000n });
    expect(codeOf(await mempool.add(a1))).toBe('ok');
    expect(removed).toEqual([[txHex(b0), 'EVICTED']]);
    const queue = mempool.pendingOf(toHex(alice.key));
    expect(queue.map((e) => e.tx.nonce)).toEqual([0n, 1n]);
    expect(mempool.nextNonce(toHex(alice.key))).toBe(2n);
    // And when only its own transfers are cheaper, it is refused rather than leave a gap.
    const a2 = b.transfer(alice, bob, 1n, { nonce: 2n, fee: 3500n });
    expect(codeOf(await mempool.add(a2))).toBe('MEMPOOL_FULL');
  });

  it('expires transfers older than maxAgeMs when the tip moves, with their successors', async () => {
    const { b, chain, mempool, clock, removed } = await setup(undefined, 1000);
    const start = clock.nowMs;
    const a0 = b.transfer(alice, bob, 1n);
    unwrap(await mempool.add(a0));
    clock.nowMs = start + 600;
    const a1 = b.transfer(alice, bob, 1n, { nonce: 1n });
    const b0 = b.transfer(bob, alice, 1n);
    unwrap(await mempool.add(a1));
    unwrap(await mempool.add(b0));

    clock.nowMs = start + 1000;
    unwrap(await chain.addBlock(b.mine()));
    expect(mempool.size).toBe(3);
    clock.nowMs = start + 1001;
    unwrap(await chain.addBlock(b.mine()));
    expect(removed).toEqual([
      [txHex(a1), 'TX_NONCE_TOO_HIGH'],
      [txHex(a0), 'EXPIRED'],
    ]);
    expect(mempool.entries().map((e) => e.idHex)).toEqual([txHex(b0)]);
  });
});
