import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytesToBigInt } from '../../../src/core/bytes.js';
import { decodeBits } from '../../../src/core/pow.js';
import { createMiner } from '../../../src/miner/createMiner.js';
import { KERNEL_NAMES } from '../../../src/miner/kernels/hashKernel.js';
import type { Miner } from '../../../src/miner/miner.js';
import { headerBytes, referenceHash, seededHeader, ZERO_TARGET } from './headers.js';

const easyBits = 0x1f00ffff;
const easyTarget = decodeBits(easyBits).target;

describe('createMiner with 2 threads', () => {
  let miner: Miner;

  beforeAll(async () => {
    miner = createMiner({ threads: 2 });
    await miner.ready();
  });

  afterAll(async () => {
    await miner.close();
  });

  it('says which kernel its workers run', async () => {
    const info = await miner.ready();
    expect(KERNEL_NAMES).toContain(info.kernel);
    expect(info.threads).toBe(2);
    expect(miner.stats()).toMatchObject({ kernel: info.kernel, threads: 2, mining: false });
  });

  it('finds a nonce whose hash meets the target', async () => {
    for (const seed of ['pool a', 'pool b']) {
      const header = headerBytes(seededHeader(seed, easyBits));
      const outcome = await miner.mine(header, easyTarget);
      if (outcome.status !== 'found') throw new Error(`expected found, got ${outcome.status}`);
      expect(outcome.hash).toEqual(referenceHash(header, outcome.nonce));
      expect(bytesToBigInt(outcome.hash)).toBeLessThanOrEqual(easyTarget);
      expect(outcome.hashes).toBeGreaterThan(0);
    }
  });

  it('reports the rate it hashes at while searching, which idle time does not dilute', async () => {
    miner.stats(); // starts a window
    // PERF: 600 ms of searching an impossible target: the window's rate is the hashing speed.
    const header = headerBytes(seededHeader('rate', easyBits));
    await miner.mine(header, ZERO_TARGET, { signal: AbortSignal.timeout(600) });
    const searching = miner.stats().hashesPerSecond;
    expect(searching).toBeGreaterThan(10_000);
    // Then 600 ms with no job at all (what a miner paced to one block a second does most of
    // the time): the window has no searching in it, and the rate stays what it was, not 0.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(miner.stats().hashesPerSecond).toBe(searching);
  });

  it('stops at once when the signal aborts, and takes the next job', async () => {
    const header = headerBytes(seededHeader('abort', easyBits));
    const controller = new AbortController();
    const search = miner.mine(header, ZERO_TARGET, { signal: controller.signal });
    // Wait (by polling, not a fixed sleep) until the workers are really hashing.
    await vi.waitFor(() =>
      expect(miner.stats().mining && miner.stats().totalHashes > 0).toBe(true),
    );
    const before = miner.stats().totalHashes;
    await vi.waitFor(() => expect(miner.stats().totalHashes).toBeGreaterThan(before));
    const abortedAt = performance.now();
    controller.abort();
    const outcome = await search;
    expect(performance.now() - abortedAt).toBeLessThan(250); // settled by the abort itself
    expect(outcome.status).toBe('aborted');
    expect(outcome.hashes).toBeGreaterThan(0);
    expect(miner.stats().mining).toBe(false);
    // The workers left the impossible search: a new, easy one is answered.
    expect((await miner.mine(header, easyTarget)).status).toBe('found');
  });

  it('answers aborted without searching when the signal has already fired', async () => {
    const header = headerBytes(seededHeader('pre-aborted', easyBits));
    const outcome = await miner.mine(header, easyTarget, { signal: AbortSignal.abort() });
    expect(outcome).toEqual({ status: 'aborted', hashes: 0, elapsedMs: 0 });
  });

  it('runs searches one at a time; a waiting one ends at once when its signal fires', async () => {
    const header = headerBytes(seededHeader('queue', easyBits));
    const first = new AbortController();
    const second = new AbortController();
    const running = miner.mine(header, ZERO_TARGET, { signal: first.signal });
    const waiting = miner.mine(header, ZERO_TARGET, { signal: second.signal });
    const third = miner.mine(header, easyTarget);
    second.abort();
    expect(await waiting).toEqual({ status: 'aborted', hashes: 0, elapsedMs: 0 });
    await vi.waitFor(() => expect(miner.stats().mining).toBe(true));
    first.abort();
    expect((await running).status).toBe('aborted');
    expect((await third).status).toBe('found');
  });

  it('says exhausted once every worker has tried its share of the range', async () => {
    const header = headerBytes(seededHeader('exhaust', easyBits));
    const outcome = await miner.mine(header, ZERO_TARGET, { startNonce: 1000n, endNonce: 6001n });
    expect(outcome.status).toBe('exhausted');
    expect(outcome.hashes).toBeGreaterThanOrEqual(5001);
  });

  it('finds the only valid nonce of a range, in whichever share it is', async () => {
    for (const seed of ['share a', 'share b', 'share c']) {
      const header = headerBytes(seededHeader(seed, easyBits));
      const nonces = [5000n, 5001n, 5002n, 5003n, 5004n, 5005n, 5006n, 5007n];
      const hashes = nonces.map((nonce) => referenceHash(header, nonce));
      const best = hashes.reduce((min, hash) => (Buffer.compare(hash, min) < 0 ? hash : min));
      // The smallest hash as the target: exactly one nonce of the range meets it.
      const outcome = await miner.mine(header, best, { startNonce: 5000n, endNonce: 5008n });
      expect(outcome).toMatchObject({ status: 'found', nonce: nonces[hashes.indexOf(best)] });
    }
  });

  it('rejects bad arguments', async () => {
    await expect(miner.mine(new Uint8Array(80), easyTarget)).rejects.toThrow(RangeError);
    await expect(miner.mine(new Uint8Array(92), new Uint8Array(3))).rejects.toThrow(RangeError);
    await expect(
      miner.mine(new Uint8Array(92), easyTarget, { startNonce: 5n, endNonce: 4n }),
    ).rejects.toThrow(RangeError);
  });
});

describe('createMiner options', () => {
  it('runs the kernel asked for', async () => {
    const miner = createMiner({ threads: 1, kernel: 'node-crypto' });
    try {
      expect((await miner.ready()).kernel).toBe('node-crypto');
      const header = headerBytes(seededHeader('named kernel', 0x207fffff));
      const outcome = await miner.mine(header, decodeBits(0x207fffff).target);
      expect(outcome.status).toBe('found');
    } finally {
      await miner.close();
    }
  });

  it('answers a pending search with aborted on close, and refuses new ones', async () => {
    const miner = createMiner({ threads: 1 });
    const search = miner.mine(headerBytes(seededHeader('close', easyBits)), ZERO_TARGET);
    await miner.ready();
    await miner.close();
    expect((await search).status).toBe('aborted');
    await expect(miner.mine(new Uint8Array(92), easyTarget)).rejects.toThrow(/closed/);
  });

  it('refuses a thread count that is not a positive integer', () => {
    expect(() => createMiner({ threads: 0 })).toThrow(RangeError);
    expect(() => createMiner({ threads: 1.5 })).toThrow(RangeError);
  });
});
