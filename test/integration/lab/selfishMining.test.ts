/**
 * Selfish mining on real node processes: the attacker withholds its blocks, its releases orphan
 * honest blocks, and the revenue share is counted from the final chain, which every node agrees
 * on. The run goes on until at least one honest block was orphaned (it cannot end without its
 * evidence), so only the mechanics are asserted, never a share that chance decides.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/lab/runScenario.js';
import { selfishRevenue } from '../../../src/lab/theory.js';

const command: [string, ...string[]] = [
  process.execPath,
  '--import',
  'tsx',
  new URL('../../support/blockyardFromSource.ts', import.meta.url).pathname,
];

describe('selfish mining, on real nodes', () => {
  it("withholds, orphans honest blocks by its releases, and counts its revenue on the nodes' chain", async () => {
    const result = await runScenario('selfish-mining', {
      q: 0.45,
      blocks: 12,
      orphans: 1,
      networkRate: 20_000,
      command,
    });
    const f = result.figures;
    const events = result.timeline;
    // It withheld: private blocks were found, and releases handed them to its chain later.
    expect(Number(f.withheld_blocks)).toBeGreaterThan(0);
    const released = events.filter((e) => e.kind === 'released' && e.node === 'attacker');
    expect(released.length).toBeGreaterThan(0);
    const firstWithheld = events.find((e) => e.kind === 'withheld');
    expect(firstWithheld!.at).toBeLessThanOrEqual(released[0]!.at);
    // Orphaned honest blocks: found by the honest miner, not on the final chain, and each one
    // left behind by the honest node's own reorg after a release.
    const orphaned = String(f.orphaned_hashes).split(',').filter(Boolean);
    expect(orphaned.length).toBe(Number(f.orphaned_honest_blocks));
    expect(orphaned.length).toBeGreaterThanOrEqual(1);
    for (const hash of orphaned) {
      const reorg = events.find(
        (e) =>
          e.kind === 'reorg' &&
          e.node === 'honest' &&
          ((e as { left_behind?: { hash: string }[] }).left_behind ?? []).some(
            (b) => b.hash === hash,
          ),
      );
      expect(reorg, `honest block ${hash.slice(0, 12)} left behind in a reorg`).toBeDefined();
      expect(released.some((r) => r.at <= reorg!.at)).toBe(true);
      expect(events.some((e) => e.kind === 'found' && e.node === 'honest' && e.hash === hash)).toBe(
        true,
      );
    }
    // The shares come from the final chain and add up; every node ended on that chain.
    expect(Number(f.attacker_blocks) + Number(f.honest_blocks)).toBe(Number(f.chain_blocks));
    expect(Number(f.chain_blocks)).toBeGreaterThanOrEqual(12);
    expect(f.revenue_share).toBeCloseTo(Number(f.attacker_blocks) / Number(f.chain_blocks), 12);
    expect(f.eyal_sirer_gamma0).toBeCloseTo(selfishRevenue(0.45, 0), 12);
    expect(Number(f.end_height) - Number(f.start_height)).toBe(Number(f.chain_blocks));
    // What the watcher's chain says agrees with what the nodes' event streams said: each
    // block paying the attacker is one it withheld, each other one the honest miner found.
    const chain = String(f.chain_hashes).split(',');
    const mine = new Set(String(f.attacker_hashes).split(',').filter(Boolean));
    expect(chain.length).toBe(Number(f.chain_blocks));
    expect(chain[0]).toBe(f.tip);
    expect(mine.size).toBe(Number(f.attacker_blocks));
    const withheld = new Set(
      events.flatMap((e) => (e.kind === 'withheld' && e.node === 'attacker' ? [e.hash] : [])),
    );
    const honestFound = new Set(
      events.flatMap((e) => (e.kind === 'found' && e.node === 'honest' ? [e.hash] : [])),
    );
    for (const hash of chain) {
      if (mine.has(hash)) expect(withheld.has(hash), hash).toBe(true);
      else expect(honestFound.has(hash), hash).toBe(true);
    }
  }, 300_000);
});
