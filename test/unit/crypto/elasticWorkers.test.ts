/**
 * How many signature workers the pool runs (signatureWorkers.ts, EXTRA_IDLE_MS): one for a job
 * at a time, a second once a job queues behind the first or a big shared job comes, the second
 * stopped first when idle; and checks still answer when a worker dies.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { txOffsets } from '../../../src/chain/verifySignatures.js';
import { type Block, COIN, encodeBlock } from '../../../src/core/index.js';
import { SignatureWorkers, SPREAD_ALL_FROM } from '../../../src/crypto/signatureWorkers.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';

function blockOf(count: number): Block {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const transfers = Array.from({ length: count }, (_, i) =>
    builder.transfer(alice, bob, 1n * COIN, { nonce: BigInt(i) }),
  );
  return builder.next({ transfers });
}

const block = blockOf(20);
const bytes = encodeBlock(block);
/** The 20 transfers' offsets (transaction 0 is the coinbase). */
const offsets = txOffsets(bytes, block.txs).slice(1);

const pools: SignatureWorkers[] = [];
function pool(options: ConstructorParameters<typeof SignatureWorkers>[0] = {}): SignatureWorkers {
  const made = new SignatureWorkers({ threads: 2, ...options });
  pools.push(made);
  return made;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('the number of signature workers', () => {
  it('is one while jobs come one at a time', async () => {
    const workers = pool();
    expect(workers.workerCount).toBe(0);
    for (let i = 1; i <= 4; i++) {
      expect(await workers.check(bytes, { indexes: [i] })).toHaveLength(1);
      expect([...(await workers.checkAt(bytes, offsets))!]).toEqual(offsets.map(() => 1));
      expect(workers.workerCount).toBe(1);
    }
  });

  it('grows to two when a job queues behind the first, and every job is answered', async () => {
    const workers = pool();
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => workers.check(bytes, { indexes: [i, i + 1] })),
    );
    expect(answers.map((answer) => answer.length)).toEqual([2, 2, 2, 2]);
    expect(workers.workerCount).toBe(2);
  });

  it('starts every worker for a shared job of SPREAD_ALL_FROM transfers, not for a smaller one', async () => {
    const small = pool();
    expect([...(await small.checkAt(bytes, offsets))!]).toEqual(offsets.map(() => 1));
    expect(small.workerCount).toBe(1);
    const big = pool();
    const many = Array.from({ length: SPREAD_ALL_FROM }, (_, k) => offsets[k % offsets.length]!);
    const verdicts = await big.checkAt(bytes, many);
    expect(verdicts?.every((v) => v === 1)).toBe(true);
    expect(big.workerCount).toBe(2);
  });

  it('stops the second worker first when idle, then the first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const workers = pool({ extraIdleMs: 2_000, idleMs: 10_000 });
    await Promise.all([1, 2, 3].map((i) => workers.check(bytes, { indexes: [i] })));
    expect(workers.workerCount).toBe(2);
    vi.advanceTimersByTime(1_999);
    expect(workers.workerCount).toBe(2);
    vi.advanceTimersByTime(1);
    expect(workers.workerCount).toBe(1);
    // The first still answers, alone, and its idle time starts again from this job.
    expect(await workers.check(bytes, { indexes: [5] })).toHaveLength(1);
    expect(workers.workerCount).toBe(1);
    vi.advanceTimersByTime(9_999);
    expect(workers.workerCount).toBe(1);
    vi.advanceTimersByTime(1);
    expect(workers.workerCount).toBe(0);
    // And starts again for the next job.
    expect(await workers.check(bytes, { indexes: [6] })).toHaveLength(1);
    expect(workers.workerCount).toBe(1);
  });

  it('stops the second worker once idle for extraIdleMs, though the first keeps answering jobs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const workers = pool({ extraIdleMs: 2_000, idleMs: 10_000 });
    await Promise.all([1, 2, 3].map((i) => workers.check(bytes, { indexes: [i] })));
    expect(workers.workerCount).toBe(2);
    // One job a second, each taken by the idle first worker: the second stays idle throughout.
    for (let second = 1; second <= 3; second++) {
      vi.advanceTimersByTime(1_000);
      expect(await workers.check(bytes, { indexes: [4] })).toHaveLength(1);
      expect(workers.workerCount).toBe(second < 2 ? 2 : 1);
    }
  });

  it('gives each copy of a shared job to another worker, though one still holds a job', async () => {
    const workers = pool();
    // 4,000 signatures hold the second worker about half a second of a core, far longer than the
    // first takes to answer one (a start late by less than that keeps the order the test reads).
    const long = blockOf(4_000);
    const longIndexes = Array.from({ length: 4_000 }, (_, i) => i + 1);
    // Two jobs at once start both workers: the first gets one signature, the second 4,000.
    const short = workers.check(bytes, { indexes: [1] });
    const held = workers.check(encodeBlock(long), { indexes: longIndexes });
    expect(await short).toHaveLength(1);
    expect(workers.jobsByWorker()).toEqual([0, 1]);
    // A shared job's two copies: the idle worker takes one, the busy one queues the other
    // (before, the idle worker took both, and the block was checked on one core).
    const shared = workers.checkAt(bytes, offsets);
    expect(workers.jobsByWorker()).toEqual([1, 2]);
    expect([...(await shared)!]).toEqual(offsets.map(() => 1));
    expect(await held).toHaveLength(4_000);
  });

  it('answers again after a worker dies mid-job: that job unchecked, the next one checked', async () => {
    const workers = pool({
      workerUrl: new URL('../../support/dyingSignatureWorker.mjs', import.meta.url),
    });
    // The dying worker exits on its first claims job, which goes unanswered (the caller checks).
    expect(await workers.checkAt(bytes, offsets)).toBeUndefined();
    // A whole block's job goes to the real handler, on a worker started again.
    expect(await workers.check(bytes, { indexes: [1, 2, 3] })).toHaveLength(3);
    expect(workers.workerCount).toBe(1);
  });
});
