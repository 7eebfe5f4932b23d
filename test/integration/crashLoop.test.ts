/**
 * The crash loop: a node mining and taking transfers is killed with SIGKILL at random moments
 * and started again, a few times (scripts/crashLoop.ts runs many more). Afterwards its chain is
 * valid from genesis, and every transfer it ever answered 201 for is confirmed or pending: an
 * acknowledgement is a promise the journal keeps (src/mempool/mempoolJournal.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { validateChain } from '../../src/core/index.js';
import { bob, easyParams, verify } from '../support/chainBuilder.js';
import { runCrashLoop, seeded } from '../support/crashLoop.js';
import { addressOf, closeNodesAfterEach, startNode } from '../support/http.js';
import { makeTempDir } from '../support/nodeFixtures.js';

closeNodesAfterEach();
const children: ChildProcess[] = [];
const temps: Array<() => void> = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const remove of temps.splice(0)) remove();
});

describe('kill -9 at random moments while mining and taking transfers', () => {
  it(
    'keeps a valid chain and loses no acknowledged transfer',
    async () => {
      const temp = makeTempDir();
      temps.push(temp.remove);
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
      const kills = Number(process.env.CRASH_KILLS ?? 3);
      const report = await runCrashLoop({
        dataDir: temp.dir,
        kills,
        recipient: addressOf(bob.key),
        children,
        random: seeded(seed),
      });
      expect(report.acknowledged.length).toBeGreaterThanOrEqual(kills);

      const node = await startNode({ dataDir: temp.dir });
      const blocks = node.chain.main.map((entry) => node.chain.getBlock(entry));
      const checked = validateChain(blocks, easyParams, verify, Date.now());
      if (!checked.ok) throw new Error(`invalid chain: ${checked.code} ${checked.detail}`);
      expect(checked.value.chainWork).toBe(node.chain.tip.chainWork);
      const main = node.chain.main;
      expect(report.connected.filter((r) => main[r.height]?.hashHex !== r.hash)).toEqual([]);
      const lost = report.acknowledged.filter(
        (id) => !node.mempool.has(id) && !node.chain.getTxLocation(Buffer.from(id, 'hex')),
      );
      process.stdout.write(
        `crash loop (seed ${seed}): ${kills} kills, ${report.acknowledged.length} transfers acknowledged, ${lost.length} lost; chain of ${main.length} blocks valid\n`,
      );
      expect({ seed, lost }).toEqual({ seed, lost: [] });
    },
    30_000 + Number(process.env.CRASH_KILLS ?? 3) * 15_000,
  );
});
