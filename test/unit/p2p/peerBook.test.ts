import { describe, expect, it } from 'vitest';
import {
  BAN_SCORE,
  decayedScore,
  PeerBook,
  SCORE_HALF_LIFE_MS,
} from '../../../src/p2p/peerBook.js';
import { RETRY_CAP_MS, retryDelayMs } from '../../../src/p2p/peerSchedule.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';

const URL_A = 'http://10.0.0.1:5000';

function book() {
  let now = 1_000_000;
  const store = createMemoryStore();
  return { peers: new PeerBook(store, () => now), store, tick: (ms: number) => (now += ms) };
}

describe('scores decay', () => {
  it('halve every ten minutes, in whole steps', () => {
    const { peers, tick } = book();
    peers.add(URL_A);
    peers.penalize(URL_A, 'P2P_BAD_RESPONSE', 'x', 80);
    expect(peers.scoreOf(URL_A)).toBe(80);
    tick(SCORE_HALF_LIFE_MS - 1);
    expect(peers.scoreOf(URL_A)).toBe(80);
    tick(1);
    expect(peers.scoreOf(URL_A)).toBe(40);
    tick(SCORE_HALF_LIFE_MS);
    expect(peers.scoreOf(URL_A)).toBe(20);
  });

  it('two offences a moment apart add up; the same two an hour apart do not ban', () => {
    const { peers, tick } = book();
    peers.add(URL_A);
    peers.penalize(URL_A, 'P2P_TOO_LARGE', 'x');
    tick(60 * 60 * 1000);
    peers.penalize(URL_A, 'P2P_TOO_LARGE', 'x');
    expect(peers.isBanned(URL_A)).toBe(false);
    tick(1);
    peers.penalize(URL_A, 'P2P_TOO_LARGE', 'y');
    expect(peers.isBanned(URL_A)).toBe(true);
    expect(peers.get(URL_A)?.banReason).toBe('P2P_TOO_LARGE: y');
  });

  it('keep halving while a peer misbehaves a little every few minutes', () => {
    const { peers, tick } = book();
    peers.add(URL_A);
    for (let i = 0; i < 30; i++) {
      peers.penalize(URL_A, 'P2P_BAD_RESPONSE', 'x', 10);
      tick(4 * 60 * 1000);
    }
    // 10 points every 4 minutes, halved every 10: it settles near 50, where 300 undecayed would ban.
    expect(peers.scoreOf(URL_A)).toBeLessThan(BAN_SCORE);
    expect(peers.isBanned(URL_A)).toBe(false);
  });

  it('being away changes the state, never the score', () => {
    const { peers } = book();
    peers.add(URL_A, true);
    for (let i = 0; i < 100; i++) peers.unavailable(URL_A, 'P2P_TIMEOUT', 'x');
    expect(peers.get(URL_A)).toMatchObject({
      score: 0,
      failures: 100,
      answering: false,
      named: true,
    });
    expect(decayedScore(peers.get(URL_A)!, Date.now())).toBe(0);
  });

  it('named peers, scores and bans survive a restart; answering is learned anew', () => {
    const { peers, store } = book();
    peers.add(URL_A, true);
    peers.seen(URL_A, { nodeAddress: 'x' });
    peers.penalize(URL_A, 'TX_BAD_SIGNATURE', 'bad');
    const again = new PeerBook(store, () => 1_000_000);
    expect(again.get(URL_A)).toMatchObject({ named: true, answering: false, failures: 0 });
    expect(again.isBanned(URL_A)).toBe(true);
    expect(again.get(URL_A)?.nodeAddress).toBeUndefined();
  });
});

describe('retry delays', () => {
  it('start within a second and back off, with jitter, to about 30 s', () => {
    expect(retryDelayMs(1, () => 0)).toBe(500);
    expect(retryDelayMs(1, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(1_500);
    expect(retryDelayMs(20, () => 1)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(20, () => 0)).toBe(RETRY_CAP_MS / 2);
    const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(6)));
    expect(spread.size).toBeGreaterThan(10);
  });
});
