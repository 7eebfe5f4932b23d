/**
 * `blockyard node` holds V8's young generation at its starting size while it starts
 * (src/cli/youngGeneration.ts), and lets it grow again after. Run in a child process: V8 flags
 * are the whole process's.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Allocates objects that survive (as a start does) and reports the young generation's size. */
const script = `
import { getHeapSpaceStatistics } from 'node:v8';
import { holdYoungGeneration } from './src/cli/youngGeneration.ts';
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const kept = [];
const allocate = () => { for (let i = 0; i < 400_000; i++) kept.push({ i, s: 'x' + i }); };
const before = newSpace();
const release = holdYoungGeneration();
allocate();
const held = newSpace();
release();
allocate();
console.log(JSON.stringify({ before, held, after: newSpace() }));
`;

describe('holdYoungGeneration', () => {
  it('keeps the young generation small while held, and lets it grow after', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const { before, held, after } = JSON.parse(run.stdout) as {
      before: number;
      held: number;
      after: number;
    };
    // 40 MB of surviving objects: without the hold the young generation doubles to its maximum.
    expect(held).toBe(before);
    expect(after).toBeGreaterThan(held);
  });
});
