import { describe, expect, it } from 'vitest';
import { STALL_MAX_MS, STALL_MS, StallTimeouts } from '../../../src/p2p/stallTimeouts.js';

const peer = 'http://127.0.0.1:1';
const other = 'http://127.0.0.1:2';

describe('StallTimeouts: each peer its own adaptive stall timeout, as Bitcoin Core', () => {
  it('starts at STALL_MS, doubles on each stall up to the cap, and says when the cap is reached', () => {
    const stalls = new StallTimeouts();
    expect(stalls.of(peer)).toBe(STALL_MS);
    const seen: number[] = [];
    let belowCap = true;
    while (belowCap) {
      belowCap = stalls.stalled(peer, stalls.of(peer));
      seen.push(stalls.of(peer));
    }
    expect(seen).toEqual([4_000, 8_000, 16_000, 32_000, 64_000, 64_000]);
    expect(stalls.of(peer)).toBe(STALL_MAX_MS);
    expect(stalls.of(other)).toBe(STALL_MS);
    expect([stalls.stallCount(peer), stalls.stallCount(other)]).toEqual([6, 0]);
  });

  it('doubles once for requests that stalled together on the same timeout', () => {
    const stalls = new StallTimeouts();
    stalls.stalled(peer, STALL_MS);
    stalls.stalled(peer, STALL_MS);
    expect(stalls.of(peer)).toBe(2 * STALL_MS);
    expect(stalls.factor(peer)).toBe(2);
  });

  it('decays by 15 % a delivered batch, back to STALL_MS and no lower', () => {
    const stalls = new StallTimeouts();
    stalls.stalled(peer, 8_000);
    stalls.delivered(peer);
    expect(stalls.of(peer)).toBe(13_600);
    for (let i = 0; i < 20; i++) stalls.delivered(peer);
    expect(stalls.of(peer)).toBe(STALL_MS);
    stalls.delivered(other);
    expect(stalls.of(other)).toBe(STALL_MS);
  });

  it('forgets a peer', () => {
    const stalls = new StallTimeouts();
    stalls.stalled(peer, STALL_MS);
    stalls.forget(peer);
    expect(stalls.of(peer)).toBe(STALL_MS);
  });
});
