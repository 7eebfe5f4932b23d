/**
 * The verifier's worker threads: what they answer for an encoded block (the ids of the transfers
 * whose signature verifies, as hashTx computes them), and what they refuse to vouch for. Also the
 * key import: a raw key taken as a JWK is the same key as in DER. And the same for a block's
 * transfers at given offsets (a block on the tip) and loose transfers (the mempool's).
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { txOffsets } from '../../../src/chain/verifySignatures.js';
import {
  type Block,
  COIN,
  encodeBlock,
  encodeTx,
  hashTx,
  TRANSFER_SIZE,
  type Transfer,
  toHex,
  txSigningBytes,
} from '../../../src/core/index.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import {
  SignatureWorkers,
  SPREAD_ALL_FROM,
  SPREAD_TRANSFERS,
  signaturesOnWorkers,
  WORKER_LIMITS,
} from '../../../src/crypto/signatureWorkers.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';

const verifier = createNodeVerifier();
afterAll(() => verifier.close?.());

/** A block of `count` transfers alice → bob, the one at `bad` (if any) with a flipped bit. */
function blockOf(count: number, bad?: number): { block: Block; transfers: Transfer[] } {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const transfers = Array.from({ length: count }, (_, i) => {
    const tx = builder.transfer(alice, bob, 1n * COIN, { nonce: BigInt(i) });
    if (i !== bad) return tx;
    const signature = Uint8Array.from(tx.signature);
    signature[20]! ^= 1;
    return { ...tx, signature };
  });
  return { block: builder.next({ transfers }), transfers };
}

const ids = (txs: readonly Transfer[]) => txs.map((tx) => toHex(hashTx(tx)));

describe('verifyBlock', () => {
  const { block, transfers } = blockOf(20, 7);
  const bytes = encodeBlock(block);
  const good = ids(transfers.filter((_, i) => i !== 7));

  it('answers the ids of the transfers whose signature verifies, and no other', async () => {
    expect([...(await verifier.verifyBlock!(bytes))].sort()).toEqual([...good].sort());
    expect([...(await verifier.verifyBlock!(bytes, { checkRoot: true }))].sort()).toEqual(
      [...good].sort(),
    );
  });

  it('checks only the transactions asked for, on one worker or all of them', async () => {
    const indexes = [1, 2, 8, 9, 10]; // transfer 7 is transaction 8
    const expected = ids([0, 1, 8, 9].map((i) => transfers[i]!)).sort();
    for (const spread of [false, true]) {
      const answer = await verifier.verifyBlock!(bytes, { indexes, spread });
      expect([...answer].sort()).toEqual(expected);
    }
  });

  it('answers each of many jobs at once with its own result (two queued on each worker)', async () => {
    const pool = new SignatureWorkers({ threads: 2 });
    const jobs = [[1], [2, 3], [8], [9, 10, 11], [4], [8, 12], [5, 6, 7]];
    const answers = await Promise.all(jobs.map((indexes) => pool.check(bytes, { indexes })));
    // Transaction i + 1 is transfer i; transfer 7 (transaction 8) is the bad one.
    const expected = jobs.map((indexes) =>
      ids(indexes.filter((i) => i !== 8).map((i) => transfers[i - 1]!)).sort(),
    );
    expect(answers.map((answer) => [...answer].sort())).toEqual(expected);
    await pool.close();
  });

  it('starts its workers with a small young generation (WORKER_LIMITS), and they verify', async () => {
    const pool = new SignatureWorkers({ threads: 2 });
    expect(pool.workerLimits()).toEqual([]);
    const answer = await pool.check(bytes, {});
    expect([...answer].sort()).toEqual([...good].sort());
    const limits = pool.workerLimits();
    expect(limits.length).toBeGreaterThan(0);
    for (const each of limits)
      expect(each.maxYoungGenerationSizeMb).toBe(WORKER_LIMITS.maxYoungGenerationSizeMb);
    await pool.close();
  });

  it('vouches for nothing in a body that is not the one its header commits to', async () => {
    const other = blockOf(20).block;
    const mixed = encodeBlock({ header: other.header, txs: block.txs });
    expect(await verifier.verifyBlock!(mixed, { checkRoot: true })).toEqual([]);
  });

  it('vouches for nothing in bytes that are not a block', async () => {
    for (const junk of [new Uint8Array(0), randomBytes(500), bytes.subarray(0, bytes.length - 1)]) {
      expect(await verifier.verifyBlock!(junk)).toEqual([]);
    }
    const trailing = new Uint8Array(bytes.length + 1);
    trailing.set(bytes);
    expect(await verifier.verifyBlock!(trailing)).toEqual([]);
  });

  it('answers nothing, and never throws, when its workers cannot start', async () => {
    const broken = new SignatureWorkers({
      threads: 2,
      workerUrl: new URL('./no-such-worker.js', import.meta.url),
    });
    expect(await broken.check(bytes, { checkRoot: true })).toEqual([]);
    expect(await broken.check(bytes, { indexes: [1, 2, 3], spread: true })).toEqual([]);
    await broken.close();
  });

  it('starts again after close', async () => {
    await verifier.close!();
    expect(await verifier.verifyBlock!(bytes, { indexes: [1] })).toEqual([good[0]]);
  });
});

describe('verifyAt', () => {
  // 200 transfers: the workers claim them 16 at a time (CHECK_AT_PART), so these bad ones sit at
  // both ends and on each side of seams between claims.
  const count = 200;
  const badAt = new Set([0, 63, 64, 127, 128, 199]);
  const { block, transfers } = blockOf(count);
  const bytes = encodeBlock(block);
  // Transfer i is transaction i + 1; its bytes start at offsets[i + 1].
  const offsets = txOffsets(bytes, block.txs);
  const spoiled = Uint8Array.from(bytes);
  for (const i of badAt) spoiled[offsets[i + 1]! + TRANSFER_SIZE - 1]! ^= 1;

  it('answers a verdict for each offset, in order, whichever worker claimed it', async () => {
    const verdicts = await verifier.verifyAt!(spoiled, offsets.slice(1));
    expect([...verdicts!]).toEqual(transfers.map((_, i) => (badAt.has(i) ? 0 : 1)));
    const some = [offsets[9]!, offsets[1]!, offsets[65]!];
    expect([...(await verifier.verifyAt!(spoiled, some))!]).toEqual([1, 0, 0]);
    expect([...(await verifier.verifyAt!(bytes, some))!]).toEqual([1, 1, 1]);
  });

  it('answers the same verdicts whatever the number of workers that claim them', async () => {
    const expected = transfers.map((_, i) => (badAt.has(i) ? 0 : 1));
    for (const threads of [1, 3]) {
      const pool = new SignatureWorkers({ threads });
      const before = signaturesOnWorkers();
      expect([...(await pool.checkAt(spoiled, offsets.slice(1)))!]).toEqual(expected);
      // Each offset counted once as answered on a worker (the benches' check that workers ran).
      expect(signaturesOnWorkers() - before).toBe(count);
      await pool.close();
    }
  });

  it('counts a shared job once, though every copy is answered after its last verdict', async () => {
    // SPREAD_ALL_FROM offsets: a copy of the job for each worker, and each copy of this worker
    // answers only once every offset is judged, so every answer finds the job done.
    const many = Array.from({ length: SPREAD_ALL_FROM }, (_, k) => offsets[1 + (k % count)]!);
    const pool = new SignatureWorkers({
      threads: 2,
      workerUrl: new URL('../../support/lateSignatureWorker.mjs', import.meta.url),
    });
    const before = signaturesOnWorkers();
    const verdicts = await pool.checkAt(spoiled, many);
    expect([...verdicts!]).toEqual(many.map((_, k) => (badAt.has(k % count) ? 0 : 1)));
    // Closed, the pool settles a copy not answered yet: every copy has been read.
    await pool.close();
    expect(signaturesOnWorkers() - before).toBe(many.length);
  });

  it('vouches only for the whole 157 bytes of a transfer at each offset', async () => {
    const at = offsets[3]!;
    const verdicts = await verifier.verifyAt!(bytes, [
      offsets[0]!, // the coinbase
      at + 1,
      at - 1,
      bytes.length - TRANSFER_SIZE + 1, // runs past the end
      bytes.length,
      -1,
      at + 0.5,
      at,
    ]);
    expect([...verdicts!]).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('answers undefined (nothing judged) when its workers cannot start', async () => {
    const broken = createNodeVerifier(10, {
      threads: 2,
      workerUrl: new URL('./no-such-worker.js', import.meta.url),
    });
    const before = signaturesOnWorkers();
    expect(await broken.verifyAt!(bytes, offsets.slice(1))).toBeUndefined();
    expect(signaturesOnWorkers()).toBe(before);
    await broken.close!();
  });
});

describe('verifyTransfers', () => {
  const { transfers } = blockOf(9, 4);
  const joined = (txs: readonly Transfer[]) => {
    const bytes = new Uint8Array(txs.length * TRANSFER_SIZE);
    txs.forEach((tx, i) => {
      bytes.set(encodeTx(tx), i * TRANSFER_SIZE);
    });
    return bytes;
  };

  it('answers a verdict for each transfer, in order, on one worker or spread', async () => {
    const before = signaturesOnWorkers();
    const verdicts = await verifier.verifyTransfers!(joined(transfers));
    expect([...verdicts!]).toEqual(transfers.map((_, i) => (i === 4 ? 0 : 1)));
    // One worker's job: the transfers it found valid counted as answered on the workers.
    expect(signaturesOnWorkers() - before).toBe(8);
    expect([...(await verifier.verifyTransfers!(joined(transfers.slice(3, 6))))!]).toEqual([
      1, 0, 1,
    ]);
  });

  it('shares a long job among the workers, each verdict still at its own index', async () => {
    // 2 × SPREAD_TRANSFERS + 3 transfers, claimed 16 at a time: bad ones at both ends and on
    // each side of seams between claims.
    const count = 2 * SPREAD_TRANSFERS + 3;
    const { transfers: long } = blockOf(count);
    const bad = new Set([
      0,
      SPREAD_TRANSFERS,
      SPREAD_TRANSFERS + 1,
      SPREAD_TRANSFERS + 2,
      count - 1,
    ]);
    const bytes = joined(long);
    for (const i of bad) bytes[i * TRANSFER_SIZE + TRANSFER_SIZE - 1]! ^= 1;
    const verdicts = await verifier.verifyTransfers!(bytes);
    expect([...verdicts!]).toEqual(long.map((_, i) => (bad.has(i) ? 0 : 1)));
  });

  it('answers each of several long jobs at once with its own verdicts, in order', async () => {
    const { transfers: long } = blockOf(SPREAD_TRANSFERS + 5);
    const jobs = [0, 17, SPREAD_TRANSFERS + 4, 31].map((bad) => {
      const bytes = joined(long);
      bytes[bad * TRANSFER_SIZE + 100]! ^= 1;
      return { bad, bytes };
    });
    const answers = await Promise.all(jobs.map((job) => verifier.verifyTransfers!(job.bytes)));
    expect(answers.map((verdicts) => [...verdicts!])).toEqual(
      jobs.map(({ bad }) => long.map((_, i) => (i === bad ? 0 : 1))),
    );
  });

  const faulty = (fault: 'stall' | 'die') =>
    new SignatureWorkers({
      threads: 2,
      workerUrl: new URL(
        `../../support/${fault === 'stall' ? 'stalling' : 'dying'}SignatureWorker.mjs`,
        import.meta.url,
      ),
    });

  it("takes a busy worker's share: a long job is answered while the other worker is stuck", async () => {
    const pool = faulty('stall');
    const { block, transfers: long } = blockOf(SPREAD_TRANSFERS + 9, 3);
    // One worker takes the block, and never answers (until closed).
    const stuck = pool.check(encodeBlock(block));
    // Without the idle worker claiming every part, this would wait for the stuck one for ever.
    const verdicts = await pool.checkTransfers(joined(long));
    expect([...verdicts!]).toEqual(long.map((_, i) => (i === 3 ? 0 : 1)));
    await pool.close();
    expect(await stuck).toEqual([]);
  });

  it('answers undefined (nothing judged), never a wrong verdict, when a worker dies mid-job', async () => {
    const pool = faulty('die');
    const { transfers: long } = blockOf(SPREAD_TRANSFERS + 9);
    // The worker that claims the first part exits with it unjudged; the other judges the rest.
    expect(await pool.checkTransfers(joined(long))).toBeUndefined();
    // The pool starts another worker: a job that fits one worker is judged.
    expect([...(await pool.checkTransfers(joined(long.slice(0, 5))))!]).toEqual([1, 1, 1, 1, 1]);
    await pool.close();
  });

  it('vouches for nothing in bytes that are not whole transfers', async () => {
    const bytes = joined(transfers);
    const cut = await verifier.verifyTransfers!(bytes.subarray(0, bytes.length - 1));
    expect([...cut!]).toEqual(transfers.slice(1).map(() => 0));
    const coinbase = encodeTx(blockOf(1).block.txs[0]!);
    const padded = new Uint8Array(TRANSFER_SIZE * 2);
    padded.set(coinbase.subarray(0, TRANSFER_SIZE));
    padded.set(encodeTx(transfers[0]!), TRANSFER_SIZE);
    expect([...(await verifier.verifyTransfers!(padded))!]).toEqual([0, 1]);
    // A transfer's bytes with its sender's key swapped for its recipient's: not its signature.
    const swapped = encodeTx(transfers[0]!);
    swapped.set(Uint8Array.from(swapped.subarray(37, 69)), 5);
    expect([...(await verifier.verifyTransfers!(swapped))!]).toEqual([0]);
  });

  it('answers undefined (nothing judged) when its workers cannot start', async () => {
    const broken = createNodeVerifier(10, {
      threads: 2,
      workerUrl: new URL('./no-such-worker.js', import.meta.url),
    });
    for (let i = 0; i < 3; i++) {
      expect(await broken.verifyTransfers!(joined(transfers))).toBeUndefined();
    }
    expect(broken.workersRunning!()).toBe(false); // given up on
    await broken.close!();
  });
});

describe('key import', () => {
  it('takes any 32 bytes as a JWK to the same key as DER SubjectPublicKeyInfo would', () => {
    const spki = Buffer.from('302a300506032b6570032100', 'hex');
    for (let i = 0; i < 200; i++) {
      const raw = randomBytes(32);
      const der = createPublicKey({ key: Buffer.concat([spki, raw]), format: 'der', type: 'spki' });
      const jwk = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
        format: 'jwk',
      });
      expect(jwk.equals(der)).toBe(true);
    }
  });

  it('reads a key held in a view of a larger buffer, and only its own 32 bytes', () => {
    const tx = blockOf(1).transfers[0]!;
    const buffer = new Uint8Array(100).fill(0xee);
    buffer.set(tx.from, 40);
    const message = txSigningBytes(tx);
    expect(verifier.verify(buffer.subarray(40, 72), message, tx.signature)).toBe(true);
    expect(verifier.verify(buffer.subarray(41, 73), message, tx.signature)).toBe(false);
  });
});
