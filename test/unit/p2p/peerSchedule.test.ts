/**
 * A peer away is called early when there is a sign the network is back (PeerSchedule.soon: a
 * request from its host, a first answer after none), but never more often than
 * EARLY_CALL_GAP_MS however many signs come: a dead peer on a busy host is not stormed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Network } from '../../../src/p2p/network.js';
import { PeerContact } from '../../../src/p2p/peerContact.js';
import {
  EARLY_CALL_GAP_MS,
  NAMED_QUICK_RETRIES,
  nextRetryMs,
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
  it('of a named peer stop growing at RETRY_CAP_NAMED_MS for its first retries, a learned one at RETRY_CAP_MS', () => {
    expect(retryCapOf(true, 1)).toBe(RETRY_CAP_NAMED_MS);
    expect(retryCapOf(true, NAMED_QUICK_RETRIES)).toBe(RETRY_CAP_NAMED_MS);
    expect(retryCapOf(true, NAMED_QUICK_RETRIES + 1)).toBe(RETRY_CAP_MS);
    expect(retryCapOf(false, 1)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(20, () => 1, RETRY_CAP_NAMED_MS)).toBe(RETRY_CAP_NAMED_MS);
    expect(retryDelayMs(20, () => 0, RETRY_CAP_NAMED_MS)).toBe(RETRY_CAP_NAMED_MS / 2);
    expect(retryDelayMs(3, () => 1, RETRY_CAP_NAMED_MS)).toBe(4_000);
  });
});

describe('a named peer down for good', () => {
  /** The calls a schedule makes to a peer that never answers, over `spanMs`, each retry's jitter `random`. */
  async function callsIn(spanMs: number, random: () => number): Promise<number[]> {
    const calls: number[] = [];
    const schedule = new PeerSchedule(
      async () => {
        calls.push(Date.now());
        return nextRetryMs(true, calls.length, random);
      },
      () => Date.now(),
    );
    const start = Date.now();
    schedule.now(URL_A);
    await vi.advanceTimersByTimeAsync(spanMs);
    schedule.close();
    return calls.map((at) => at - start);
  }

  it('is called at most 60 times in 10 minutes (was 153 at the shortest waits, every 4 to 8 s), the first 20 within 2.5 minutes', async () => {
    // The shortest waits the jitter can give: the most calls.
    const most = await callsIn(10 * 60_000, () => 0);
    const longest = await callsIn(10 * 60_000, () => 1);
    process.stdout.write(
      `a named peer down: ${most.length} calls in 10 min at the shortest waits, ${longest.length} at the longest\n`,
    );
    expect(most.length).toBeLessThanOrEqual(60);
    expect(longest[NAMED_QUICK_RETRIES - 1]!).toBeLessThanOrEqual(150_000);
    // Once past its quick retries, no two calls closer than RETRY_CAP_MS / 2.
    const late = most.slice(NAMED_QUICK_RETRIES + 1);
    for (let i = 1; i < late.length; i++)
      expect(late[i]! - late[i - 1]!).toBeGreaterThanOrEqual(RETRY_CAP_MS / 2);
  });

  it('is still called within EARLY_CALL_GAP_MS of a sign of life after 50 failures', async () => {
    const calls: number[] = [];
    const schedule = new PeerSchedule(
      async () => {
        calls.push(Date.now());
        return nextRetryMs(true, calls.length + 50, () => 1);
      },
      () => Date.now(),
    );
    schedule.after(
      URL_A,
      nextRetryMs(true, 50, () => 1),
    );
    await vi.advanceTimersByTimeAsync(EARLY_CALL_GAP_MS);
    expect(calls).toHaveLength(0);
    expect(schedule.soon(URL_A)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    schedule.close();
  });
});

describe('a request to the peers’ routes (PeerContact.heardFrom)', () => {
  /** A network of `peers` (url, answering) whose schedule records which are called early. */
  function contactOf(peers: { url: string; answering: boolean }[]) {
    const early: string[] = [];
    const network = {
      peers: { usable: () => peers },
      schedule: { soon: (url: string) => early.push(url) > 0 },
      options: { logger: { info: () => {} } },
    } as unknown as Network;
    return { contact: new PeerContact(network), early };
  }
  const away = (url: string) => ({ url, answering: false });
  const up = (url: string) => ({ url, answering: true });
  const V6 = 'http://[fd00::1]:5000';

  it('calls early the peers away on the host it came from, as the socket names it', () => {
    const { contact, early } = contactOf([away(URL_A), up('http://10.0.0.2:5000'), away(V6)]);
    contact.heardFrom('::ffff:10.0.0.1');
    expect(early).toEqual([URL_A]);
    contact.heardFrom('fd00::1');
    expect(early).toEqual([URL_A, V6]);
    contact.heardFrom('10.0.0.2'); // answering already: nothing to bring forward
    contact.heardFrom('10.0.0.9');
    contact.heardFrom(undefined);
    expect(early).toEqual([URL_A, V6]);
  });

  it('calls every peer early when none was answering (our own link is back), none when all are', () => {
    const cut = contactOf([away(URL_A), away(V6)]);
    cut.contact.heardFrom('10.0.0.9');
    expect(cut.early).toEqual([URL_A, V6]);
    const fine = contactOf([up(URL_A), up(V6)]);
    fine.contact.heardFrom('10.0.0.1');
    expect(fine.early).toEqual([]);
  });
});
