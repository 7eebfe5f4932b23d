/**
 * The mempool's gathered signature checks: what is offered in one turn of the event loop goes to
 * the worker threads at the turn's end, shared among the workers with room (one job when they
 * are full, or for a batch), with the right answer for each transfer whatever order the jobs are
 * answered in; a lone transfer while the workers are stopped, or every transfer when they fail,
 * is checked on the thread pool.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { COIN, encodeTx, TRANSFER_SIZE, type Transfer } from '../../../src/core/index.js';
import { createNodeVerifier, type NodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { SPREAD_TRANSFERS } from '../../../src/crypto/signatureWorkers.js';
import {
  MIN_JOB,
  ON_THIS_THREAD,
  PER_WORKER,
  SignatureBatch,
  START_WORKERS_AT,
} from '../../../src/mempool/signatureBatch.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';

const real = createNodeVerifier();
afterAll(() => real.close?.());

/** `count` transfers alice → bob, the one at `bad` (if any) with a flipped signature bit. */
function transfers(count: number, bad?: number): Transfer[] {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  return Array.from({ length: count }, (_, i) => {
    const tx = builder.transfer(alice, bob, 1n * COIN, { nonce: BigInt(i) });
    if (i !== bad) return tx;
    const signature = Uint8Array.from(tx.signature);
    signature[9]! ^= 1;
    return { ...tx, signature };
  });
}

/** The real verifier, counting its calls; `failing`: its workers answer nothing. */
function counting(failing = false) {
  const calls = { here: 0, pool: 0, jobs: 0, jobSizes: [] as number[] };
  const verifier: NodeVerifier = {
    ...real,
    verify: (...args) => {
      calls.here++;
      return real.verify(...args);
    },
    verifyAsync: (...args) => {
      calls.pool++;
      return real.verifyAsync(...args);
    },
    verifyTransfers: (bytes) => {
      calls.jobs++;
      calls.jobSizes.push(bytes.length / encodeTx(transfers(1)[0]!).length);
      return failing ? Promise.resolve(undefined) : real.verifyTransfers!(bytes);
    },
    workersRunning: () => false,
  };
  return { verifier, calls };
}

const check = (batch: SignatureBatch, tx: Transfer) => batch.check(tx, encodeTx(tx));

describe('SignatureBatch', () => {
  it("sends what is offered in one turn to the workers at the turn's end, each answered right", async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch(verifier, 2);
    const txs = transfers(START_WORKERS_AT + 4, 5);
    const answers = await Promise.all(txs.map((tx) => check(batch, tx)));
    expect(answers).toEqual(txs.map((_, i) => i !== 5));
    // Shared in jobs of MIN_JOB among the 2 workers' room.
    expect(calls).toEqual({ here: 0, pool: 0, jobs: 3, jobSizes: [4, 4, 4] });
  });

  it('checks a lone transfer on the thread pool while the workers are stopped', async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch(verifier, 2, 0);
    const [good, bad] = [transfers(1)[0]!, transfers(1, 0)[0]!];
    expect(await check(batch, good)).toBe(true);
    expect(await check(batch, bad)).toBe(false);
    expect(calls).toEqual({ here: 0, pool: 2, jobs: 0, jobSizes: [] });
  });

  it('verifies a turn of ON_THIS_THREAD or fewer on this thread while nothing is under way', async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch({ ...verifier, workersRunning: () => true });
    // A bad signature in each position of a turn of ON_THIS_THREAD, then alone.
    for (let bad = 0; bad < ON_THIS_THREAD; bad++) {
      const txs = transfers(ON_THIS_THREAD, bad);
      expect(await Promise.all(txs.map((tx) => check(batch, tx)))).toEqual(
        txs.map((_, i) => i !== bad),
      );
    }
    expect(await check(batch, transfers(1, 0)[0]!)).toBe(false);
    expect(calls).toEqual({ here: ON_THIS_THREAD ** 2 + 1, pool: 0, jobs: 0, jobSizes: [] });
    // One more goes to the workers.
    const more = transfers(ON_THIS_THREAD + 1, ON_THIS_THREAD);
    expect(await Promise.all(more.map((tx) => check(batch, tx)))).toEqual(
      more.map((_, i) => i !== ON_THIS_THREAD),
    );
    expect(calls.jobSizes).toEqual([ON_THIS_THREAD + 1]);
    // So does a lone transfer while the workers have a job of ours: it waits in their queue.
    const jobs: (() => void)[] = [];
    const held = new SignatureBatch({
      ...verifier,
      workersRunning: () => true,
      verifyTransfers: (bytes) => {
        calls.jobSizes.push(bytes.length / TRANSFER_SIZE);
        return new Promise((answer) =>
          jobs.push(() => void real.verifyTransfers!(bytes).then(answer)),
        );
      },
    });
    const first = transfers(ON_THIS_THREAD + 1).map((tx) => check(held, tx));
    await new Promise((resolve) => setImmediate(resolve));
    const lone = check(held, transfers(1, 0)[0]!);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.jobSizes).toEqual([ON_THIS_THREAD + 1, ON_THIS_THREAD + 1, 1]);
    for (const answer of jobs) answer();
    expect(await lone).toBe(false);
    expect(await Promise.all(first)).toEqual(first.map(() => true));
    expect(calls.here).toBe(ON_THIS_THREAD ** 2 + 1);
  });

  it('uses the workers for a lone transfer once they run', async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch({ ...verifier, workersRunning: () => true }, 2, 0);
    expect(await check(batch, transfers(1)[0]!)).toBe(true);
    expect(calls.jobs).toBe(1);
    expect(calls.pool).toBe(0);
  });

  it('checks everything on the thread pool when the workers answer nothing', async () => {
    const { verifier, calls } = counting(true);
    const batch = new SignatureBatch(verifier);
    const txs = transfers(START_WORKERS_AT, 2);
    const answers = await Promise.all(txs.map((tx) => check(batch, tx)));
    expect(answers).toEqual(txs.map((_, i) => i !== 2));
    expect(calls.jobs).toBe(START_WORKERS_AT / MIN_JOB);
    expect(calls.pool).toBe(txs.length);
  });

  it("checks everything on the thread pool when the workers' job throws", async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch({
      ...verifier,
      verifyTransfers: () => Promise.reject(new Error('a worker could not start')),
    });
    const txs = transfers(START_WORKERS_AT, 3);
    const answers = await Promise.all(txs.map((tx) => check(batch, tx)));
    expect(answers).toEqual(txs.map((_, i) => i !== 3));
    expect(calls.pool).toBe(txs.length);
  });

  it('gathers per turn: transfers offered in two turns make two jobs', async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch({ ...verifier, workersRunning: () => true }, 2, 0);
    const txs = transfers(6);
    const first = txs.slice(0, 4).map((tx) => check(batch, tx));
    await new Promise((resolve) => setImmediate(resolve));
    const second = txs.slice(4).map((tx) => check(batch, tx));
    expect(await Promise.all([...first, ...second])).toEqual(txs.map(() => true));
    expect(calls.jobSizes).toEqual([4, 2]);
  });

  it('answers each group of checkAll in its order, with lone checks of the same turn in one job', async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch({ ...verifier, workersRunning: () => true });
    // Fewer than 2 × MIN_JOB: one job.
    const txs = transfers(2 * MIN_JOB - 1, MIN_JOB);
    const signed = (part: readonly Transfer[]) => part.map((tx) => ({ tx, bytes: encodeTx(tx) }));
    const lone = check(batch, txs[0]!);
    const first = batch.checkAll(signed(txs.slice(1, 3)));
    const second = batch.checkAll(signed(txs.slice(3)));
    expect(await batch.checkAll([])).toEqual([]);
    expect(await lone).toBe(true);
    expect(await first).toEqual([true, true]);
    expect(await second).toEqual(txs.slice(3).map((_, i) => i !== MIN_JOB - 3));
    expect(calls.jobSizes).toEqual([txs.length]);
  });

  it("sends a batch at the turn's end as one job, for the workers to share", async () => {
    const { verifier, calls } = counting();
    const batch = new SignatureBatch({ ...verifier, workersRunning: () => true }, 2);
    const txs = transfers(SPREAD_TRANSFERS + 4, 7);
    const answer = batch.checkAll(txs.map((tx) => ({ tx, bytes: encodeTx(tx) })));
    expect(calls.jobs).toBe(0);
    expect(await answer).toEqual(txs.map((_, i) => i !== 7));
    expect(calls.jobSizes).toEqual([SPREAD_TRANSFERS + 4]);
  });

  it("shares what waits at the turn's end among the workers with room", async () => {
    const { verifier, calls } = counting();
    // The workers are stopped: nothing goes before the turn's end, then they start.
    const batch = new SignatureBatch(verifier, 2);
    const txs = transfers(2 * MIN_JOB + 3, 2 * MIN_JOB);
    const answers = await Promise.all(txs.map((tx) => check(batch, tx)));
    expect(answers).toEqual(txs.map((_, i) => i !== 2 * MIN_JOB));
    expect(calls.jobSizes).toEqual([MIN_JOB + 2, MIN_JOB + 1]);
  });

  it('shares a turn among the workers with room only; when they are full, sends it as one job', async () => {
    const jobs: { bytes: Uint8Array; answer: (verdicts: Uint8Array | undefined) => void }[] = [];
    const held: NodeVerifier = {
      ...real,
      workersRunning: () => true,
      verifyTransfers: (bytes) => new Promise((answer) => void jobs.push({ bytes, answer })),
    };
    const batch = new SignatureBatch(held, 1);
    const full = PER_WORKER; // one worker
    const sizes = () => jobs.map((job) => job.bytes.length / TRANSFER_SIZE);
    const turn = async (txs: readonly Transfer[]) => {
      const answers = txs.map((tx) => check(batch, tx));
      expect(jobs).toHaveLength(sizes().length); // nothing goes before the turn's end
      await new Promise((resolve) => setImmediate(resolve));
      return answers;
    };
    // A turn of `full` jobs' worth fills every worker; the next (as much again) goes as one job.
    const txs = transfers(2 * full * MIN_JOB);
    const first = await turn(txs.slice(0, full * MIN_JOB));
    expect(sizes()).toEqual(Array(full).fill(MIN_JOB));
    const second = await turn(txs.slice(full * MIN_JOB));
    expect(sizes()).toEqual([...Array(full).fill(MIN_JOB), full * MIN_JOB]);
    // Answered in another order, each with its own verdicts: the second job's all refused, one
    // of the last job's refused.
    jobs[full]!.answer(Uint8Array.from({ length: full * MIN_JOB }, (_, i) => (i === 3 ? 0 : 1)));
    jobs[1]!.answer(new Uint8Array(MIN_JOB));
    for (const job of jobs.slice(0, full).reverse()) job.answer(new Uint8Array(MIN_JOB).fill(1));
    expect(await Promise.all([...first, ...second])).toEqual(
      txs.map((_, i) => !(i >= MIN_JOB && i < 2 * MIN_JOB) && i !== full * MIN_JOB + 3),
    );
  });

  it("answers 16 single requests of a turn in four jobs of four, each job's as it is answered", async () => {
    const jobs: { bytes: Uint8Array; answer: (verdicts: Uint8Array | undefined) => void }[] = [];
    const held: NodeVerifier = {
      ...real,
      workersRunning: () => true,
      verifyTransfers: (bytes) => new Promise((answer) => void jobs.push({ bytes, answer })),
    };
    const batch = new SignatureBatch(held, 2);
    const txs = transfers(16);
    let answered = 0;
    const answers = txs.map((tx) =>
      check(batch, tx).then((valid) => {
        answered++;
        return valid;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Two jobs a worker, the second in its queue (bench intake's 16 clients: see MIN_JOB).
    expect(jobs.map((job) => job.bytes.length / TRANSFER_SIZE)).toEqual([4, 4, 4, 4]);
    jobs[0]!.answer(new Uint8Array(4).fill(1));
    expect(await Promise.all(answers.slice(0, 4))).toEqual([true, true, true, true]);
    // The first job's requests are answered while the others still wait for theirs.
    expect(answered).toBe(4);
    for (const job of jobs.slice(1)) job.answer(new Uint8Array(4).fill(1));
    expect(await Promise.all(answers)).toEqual(txs.map(() => true));
  });

  it('answers each job its own verdicts when a later one is answered first', async () => {
    const jobs: { bytes: Uint8Array; answer: (verdicts: Uint8Array | undefined) => void }[] = [];
    const held: NodeVerifier = {
      ...real,
      workersRunning: () => true,
      verifyTransfers: (bytes) =>
        new Promise((answer) => {
          jobs.push({
            bytes,
            answer: () => void real.verifyTransfers!(bytes).then(answer),
          });
        }),
    };
    const batch = new SignatureBatch(held, 2);
    // Two jobs, a bad signature in each, the second answered first.
    const txs = transfers(2 * MIN_JOB, 3);
    txs[MIN_JOB + 1] = transfers(MIN_JOB + 2, MIN_JOB + 1)[MIN_JOB + 1]!;
    const answers = txs.map((tx) => check(batch, tx));
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs).toHaveLength(2);
    jobs[1]!.answer(undefined);
    const second = await Promise.all(answers.slice(MIN_JOB));
    expect(second).toEqual(second.map((_, i) => i !== 1));
    jobs[0]!.answer(undefined);
    const first = await Promise.all(answers.slice(0, MIN_JOB));
    expect(first).toEqual(first.map((_, i) => i !== 3));
  });
  it('answers every transfer when a worker dies mid-job: the thread pool checks them', async () => {
    const verifier = createNodeVerifier(100, {
      threads: 2,
      workerUrl: new URL('../../support/dyingSignatureWorker.mjs', import.meta.url),
    });
    const batch = new SignatureBatch(verifier, 2, 0);
    const txs = transfers(SPREAD_TRANSFERS + 6, SPREAD_TRANSFERS + 2);
    const answers = await batch.checkAll(txs.map((tx) => ({ tx, bytes: encodeTx(tx) })));
    expect(answers).toEqual(txs.map((_, i) => i !== SPREAD_TRANSFERS + 2));
    await verifier.close!();
  });
});
