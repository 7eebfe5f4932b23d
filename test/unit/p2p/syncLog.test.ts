/**
 * A sync's log (src/p2p/syncLog.ts): a run of blocks is reported at most once a second with its
 * height, count and rate; a branch of one block is not a run (its block keeps its own line).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/node/logger.js';
import { SyncLog } from '../../../src/p2p/syncLog.js';

/** Headers of a branch from `first` up, `count` of them, each hash told by its height. */
function branchOf(first: number, count: number, tag = 'a') {
  return Array.from({ length: count }, (_, i) => ({
    header: { height: first + i },
    hashHex: `${tag}${first + i}`,
  }));
}

function setUp() {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const clock = { ms: 0 };
  const log = new SyncLog(createLogger('json', 'info', out), () => clock.ms);
  return { lines, clock, log };
}

describe('the sync log', () => {
  it('reports 10,000 blocks over 2.5 s in two progress lines, not 10,000', () => {
    const { lines, clock, log } = setUp();
    const report = log.start('http://127.0.0.1:1');
    expect(log.covers(1, 'a1')).toBe(false);
    report.branch(branchOf(1, 10_000));
    expect(log.covers(1, 'a1')).toBe(true);
    for (let height = 1; height <= 10_000; height++) {
      clock.ms += 0.25; // 4,000 blocks a second
      report.progress(height, 10_000);
    }
    report.end();
    expect(log.covers(10_000, 'a10000')).toBe(false);
    expect(lines.map((l) => l.msg)).toEqual([
      'syncing: block 4000 of 10000, 4,000 blocks/s',
      'syncing: block 8000 of 10000, 4,000 blocks/s',
    ]);
    expect(lines[1]).toMatchObject({ peer: 'http://127.0.0.1:1', height: 8000, blocks: 8000 });
    expect(report.elapsedMs).toBe(2500);
  });

  it('gives the rate since the last line, and counts blocks across branches', () => {
    const { lines, clock, log } = setUp();
    const report = log.start('p');
    report.branch(branchOf(11, 3));
    clock.ms = 2000;
    report.progress(11, 13); // 1 block in 2 s
    report.branch(branchOf(12, 2));
    clock.ms = 2500;
    report.progress(12, 13);
    clock.ms = 3000;
    report.progress(13, 13); // 2 blocks in 1 s
    report.end();
    expect(lines.map((l) => [l.msg, l.blocks])).toEqual([
      ['syncing: block 11 of 13, 0.5 blocks/s', 1],
      ['syncing: block 13 of 13, 2.0 blocks/s', 3],
    ]);
  });

  it('leaves a branch of one block to the block’s own line', () => {
    const { lines, clock, log } = setUp();
    const report = log.start('p');
    report.branch(branchOf(7, 1));
    expect(log.covers(7, 'a7')).toBe(false);
    clock.ms = 5000;
    report.progress(7, 7);
    report.end();
    expect(lines).toEqual([]);
  });

  it('covers each running sync’s branch until that sync ends', () => {
    const { log } = setUp();
    const one = log.start('a');
    const two = log.start('b');
    one.branch(branchOf(1, 5));
    two.branch(branchOf(1, 5, 'b'));
    expect(log.covers(3, 'a3')).toBe(true);
    one.end();
    expect(log.covers(3, 'a3')).toBe(false);
    expect(log.covers(3, 'b3')).toBe(true);
    two.end();
    two.end();
    expect(log.covers(3, 'b3')).toBe(false);
  });

  it('covers the blocks of its branch, not one mined or gossiped meanwhile', () => {
    const { log } = setUp();
    const report = log.start('p');
    report.branch(branchOf(101, 50));
    expect(log.covers(101, 'a101')).toBe(true);
    expect(log.covers(150, 'a150')).toBe(true);
    expect(log.covers(120, 'x120')).toBe(false); // another block at a height the run adds
    expect(log.covers(100, 'a100')).toBe(false);
    expect(log.covers(151, 'a151')).toBe(false);
    // The run's next branch, even of one block, is the run's; the last one's blocks are done.
    report.branch(branchOf(151, 1));
    expect(log.covers(151, 'a151')).toBe(true);
    expect(log.covers(150, 'a150')).toBe(false);
    report.end();
    expect(log.covers(151, 'a151')).toBe(false);
  });
});
