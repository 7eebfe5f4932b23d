/**
 * A peer away is called early when there is a sign the network is back (PeerSchedule.soon: a
 * request from its host, a first answer after none), but never more often than
 * EARLY_CALL_GAP_MS however many signs come: a dead peer on a busy host is not stormed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EARLY_CALL_GAP_MS,
  PeerSchedule,
  RETRY_CAP_MS,
  RETRY_CAP_NAMED_MS,
  retryCapOf,
  retryDelayMs,
} from '../../../src/p2p/peerSchedule.js';

const URL_A = 'http://10.0.0.1:5000';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A schedule whose peer never answers: each call asks to be retried after `retryMs`. */
function deadPeer(retryMs: number) {
  const calls: number[] = [];
  const schedule = new PeerSchedule(
    async () => {
      calls.push(Date.now());
      return retryMs;
    },
    () => Date.now(),
  );
  return { schedule, calls };
}

describe('a peer away', () => {
  it('is called early on a sign of life, not at the end of its backoff', async () => {
    const { schedule, calls } = deadPeer(RETRY_CAP_MS);
    schedule.after(URL_A, RETRY_CAP_MS);
    await vi.advanceTimersByTimeAsync(EARLY_CALL_GAP_MS);
    expect(calls).toHaveLength(0);
    expect(schedule.soon(URL_A)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    // The next is planned by its backoff again.
    await vi.advanceTimersByTimeAsync(RETRY_CAP_MS - 1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    schedule.close();
  });

  it('is called at most once every EARLY_CALL_GAP_MS however many signs come', async () => {
    const { schedule, calls } = deadPeer(RETRY_CAP_MS);
    schedule.now(URL_A);
    const spanMs = 20 * EARLY_CALL_GAP_MS;
    // A sign every 10 ms (a busy host's other nodes calling us) for 20 gaps.
    for (let t = 0; t < spanMs; t += 10) {
      schedule.soon(URL_A);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(calls.length).toBeGreaterThan(spanMs / EARLY_CALL_GAP_MS - 2);
    expect(calls.length).toBeLessThanOrEqual(spanMs / EARLY_CALL_GAP_MS + 1);
    for (let i = 1; i < calls.length; i++)
      expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(EARLY_CALL_GAP_MS);
    schedule.close();
  });

  it('is not called early once off the schedule (removed), nor twice while a call runs', async () => {
    let release = () => {};
    let calls = 0;
    const schedule = new PeerSchedule(
      () => {
        calls++;
        return new Promise<number | undefined>((resolve) => {
          release = () => resolve(RETRY_CAP_MS);
        });
      },
      () => Date.now(),
    );
    schedule.now(URL_A);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    expect(schedule.soon(URL_A)).toBe(false); // under way
    release();
    await vi.advanceTimersByTimeAsync(0);
    schedule.cancel(URL_A);
    expect(schedule.soon(URL_A)).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * RETRY_CAP_MS);
    expect(calls).toBe(1);
    schedule.close();
  });
});

describe('retry delays', () => {
  it('of a named peer stop growing at RETRY_CAP_NAMED_MS, a learned one at RETRY_CAP_MS', () => {
    expect(retryCapOf(true)).toBe(RETRY_CAP_NAMED_MS);
    expect(retryCapOf(false)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(20, () => 1, RETRY_CAP_NAMED_MS)).toBe(RETRY_CAP_NAMED_MS);
    expect(retryDelayMs(20, () => 0, RETRY_CAP_NAMED_MS)).toBe(RETRY_CAP_NAMED_MS / 2);
    expect(retryDelayMs(3, () => 1, RETRY_CAP_NAMED_MS)).toBe(4_000);
  });
});
