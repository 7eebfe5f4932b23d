/**
 * The Lab page in Chromium against a real lab (`blockyard lab`'s server and three real node
 * processes from src/): partitioning the network on the page makes two branches with the nodes'
 * tips on either side of the tree; healing it makes the side with less work reorganise, and the
 * timeline says so; then the race attack runs from the page on its own real nodes to its end.
 * Screenshots at phone and desktop width after each change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/lab/describe.js';
import { Lab } from '../../src/lab/lab.js';
import { type LabServer, startLabServer } from '../../src/lab/labServer.js';
import { openPage, screenshotBoth, useBrowser } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper named like a React hook.
const browser = useBrowser();
const command: [string, ...string[]] = [
  process.execPath,
  '--import',
  'tsx',
  new URL('../support/blockyardFromSource.ts', import.meta.url).pathname,
];

let server: LabServer | undefined;
afterAll(async () => {
  await server?.close();
});

/** The block each node's tip marker stands under, by node. */
const tipsOnPage = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const tips: Record<string, string> = {};
    for (const marker of document.querySelectorAll('[data-testid^="tip-node"]')) {
      const node = marker.getAttribute('data-testid')!.slice(4);
      tips[node] = marker.closest('g')?.querySelector('title')?.textContent ?? '';
    }
    return tips;
  });

describe('the Lab page', () => {
  it('partitions and heals a real network, then runs the race attack to its end', async () => {
    const lab = await Lab.start({ nodes: ['node0', 'node1', 'node2'], command });
    server = await startLabServer({ lab, command, rate: 20_000 });
    await lab.setHashRate('node0', 10_000, true);
    await lab.setHashRate('node1', 10_000, true);
    await lab.setHashRate('node2', 1_000, false);
    await lab.timeline.waitFor((e) => e.kind === 'block' && e.height >= 2, 'two blocks');

    const { page, problems } = await openPage(browser(), `${server.url}/#/lab`);
    await expect.poll(() => page.getByTestId('lab-node-node0').textContent()).toContain('running');
    await expect.poll(() => page.getByTestId('lab-block').count()).toBeGreaterThan(1);

    // Partition {node0} | {node1, node2} from the page.
    await page.getByRole('checkbox', { name: 'node0' }).check();
    await page.getByRole('button', { name: 'Partition' }).click();
    const split = lab.timeline.events.length;
    // Both sides find blocks of their own.
    for (const side of ['node0', 'node1']) {
      await lab.timeline.waitFor(
        (e) => e.kind === 'found' && e.node === side && lab.timeline.events.indexOf(e) > split,
        `${side} to find a block after the partition`,
      );
    }
    await expect
      .poll(async () => {
        const tips = await tipsOnPage(page);
        return tips.node0 !== undefined && tips.node1 !== undefined && tips.node0 !== tips.node1;
      })
      .toBe(true);
    await expect.poll(() => page.getByTestId('lab-timeline').textContent()).toContain('partition');
    await expect
      .poll(() => page.getByTestId('lab-node-node0').textContent())
      .toContain('2 link(s) cut');
    await screenshotBoth(page, 'lab-partitioned');

    // Heal: one side reorganises onto the other's branch.
    const reorg = lab.timeline.waitFor((e) => e.kind === 'reorg', 'a reorg after healing', 90_000);
    await page.getByRole('button', { name: 'Heal' }).click();
    const seen = await reorg;
    await expect
      .poll(() => page.getByTestId('lab-timeline').textContent())
      .toContain('reorganises');
    await expect
      .poll(
        async () => {
          const tips = await tipsOnPage(page);
          return new Set(Object.values(tips)).size;
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    expect(seen.node).toMatch(/^node[012]$/);
    await screenshotBoth(page, 'lab-healed');

    // A delay on one link, a node asleep, a node added: each shown as the nodes report it.
    await page.getByLabel('Delay between node0 and node1').selectOption('500');
    await expect
      .poll(() => page.getByTestId('lab-link-node0-node1').textContent())
      .toContain('open · delay 500 ms');
    await page.getByTestId('lab-node-node2').getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('lab-node-node2').textContent()).toContain('asleep');
    expect(lab.node('node2').state).toBe('paused');
    await screenshotsThatFit(page, 'lab-paused-delayed');
    await page.getByTestId('lab-node-node2').getByRole('button', { name: 'Wake' }).click();
    await page.getByRole('button', { name: 'Add a node' }).click();
    await expect
      .poll(() => page.getByTestId('lab-node-node3').textContent(), { timeout: 60_000 })
      .toContain('running');
    // It synced the chain: on its own chain, node0's miner holds coins.
    const minerCoins = async (node: string) => {
      const text = (await page.getByTestId(`lab-holdings-${node}`).textContent()) ?? '';
      return Number(/node0's miner([\d.]+)/.exec(text)?.[1] ?? 0);
    };
    await expect.poll(() => minerCoins('node3'), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('lab-holdings-node3').textContent()).toMatch(
      /Mempool: \d+ pending/,
    );
    await screenshotsThatFit(page, 'lab-node-added');

    // The race attack from its guided page, on its own real nodes, to its end.
    await page.getByRole('button', { name: 'Race attack' }).click();
    await page.getByRole('button', { name: 'Run on real nodes' }).click();
    await expect
      .poll(() => page.getByTestId('lab-scenario-status').textContent(), { timeout: 180_000 })
      .toMatch(/race-attack: the attack (SUCCEEDED|FAILED)/);
    const status = await page.getByTestId('lab-scenario-status').textContent();
    expect(status).toContain('the attack SUCCEEDED — the merchant shipped, the payment is dropped');
    await expect
      .poll(() => page.getByTestId('lab-timeline').textContent())
      .toContain('MEMPOOL_NONCE_CONFLICT');
    await screenshotBoth(page, 'lab-race-attack');

    // The page stays live after the scenario: its nodes stay up, the dashboard's event stream
    // comes back (no "paused" banner), and a block mined from the page shows.
    await expect
      .poll(() => page.getByText('Live updates paused').count(), { timeout: 30_000 })
      .toBe(0);
    const holdings = await page.getByTestId('lab-holdings-merchant').textContent();
    expect(holdings).toMatch(/attacker\d/);
    expect(holdings).toMatch(/merchant\d/);
    const height = Number(await page.getByTestId('tip-height').textContent());
    const scenarioLab = server.lab()!;
    const mark = scenarioLab.timeline.events.length;
    await page.getByTestId('lab-node-miner1').getByRole('button', { name: 'Mine' }).click();
    const later = await scenarioLab.timeline.seenOrWait(
      (e) =>
        e.kind === 'found' && e.node === 'miner1' && scenarioLab.timeline.events.indexOf(e) >= mark,
      'miner1 to find a block after the scenario',
      60_000,
    );
    await expect
      .poll(() => page.getByTestId('lab-timeline').textContent())
      .toContain(describeEvent(later));
    await expect
      .poll(async () => Number(await page.getByTestId('tip-height').textContent()), {
        timeout: 60_000,
      })
      .toBeGreaterThan(height);
    expect(await page.getByText('Live updates paused').count()).toBe(0);
    await screenshotsThatFit(page, 'lab-after-scenario');
    // NOTE: while the scenario replaces the lab's nodes, and once they are stopped, the rest of
    // the dashboard (the header's node status) has no node behind the lab server: it answers
    // 409 (none running: LAB_NOT_STARTED or LAB_NODE_NOT_RUNNING) or 502 (the node went away
    // mid-call). Nothing else may fail.
    expect(
      problems.filter((p) => !/status of (409 \(Conflict\)|502 \(Bad Gateway\))/.test(p)),
    ).toEqual([]);
  }, 420_000);

  it('measures a small batch from the page and charts it, then loads a full batch', async () => {
    // Run alone (vitest -t), it starts its own lab server.
    server ??= await startLabServer({
      lab: await Lab.start({ nodes: ['node0', 'node1', 'node2'], command }),
      command,
      rate: 20_000,
    });
    const { page, problems } = await openPage(browser(), `${server!.url}/#/lab`);
    // The lab server refuses a batch it cannot run, and one too large for the page, with why.
    for (const [body, why] of [
      [{ kind: 'majority', q: [2], k: [0], trials: 1 }, /between 0 and 1/],
      [{ kind: 'majority', q: [0.3], k: [0, 1, 2], trials: 30 }, /more than the page starts/],
      [{ kind: 'other', q: [0.3], k: [0], trials: 1 }, /majority" or "selfish/],
    ] as const) {
      const answer = await fetch(`${server!.url}/lab/api/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(answer.status).toBe(400);
      const { error } = (await answer.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('API_BAD_REQUEST');
      expect(error.message).toMatch(why);
    }
    const panel = page.getByTestId('lab-theory');
    await panel.getByLabel('q', { exact: true }).fill('0.3');
    await panel.getByLabel('k', { exact: true }).fill('0,1');
    await panel.getByLabel('trials', { exact: true }).fill('1');
    await panel.getByRole('button', { name: 'Run a batch' }).click();
    await expect
      .poll(() => page.getByTestId('lab-batch-status').textContent(), { timeout: 240_000 })
      .toMatch(/Batch done: 2 trial\(s\)/);
    // One row a cell, one chart for the one q, measured dots beside the two formulas.
    await expect
      .poll(() => page.locator('[data-testid="lab-batch-table"] tbody tr').count())
      .toBe(2);
    await expect.poll(() => panel.locator('.lab-theory-chart canvas').count()).toBe(1);
    const legend = await panel.locator('.lab-theory-chart').textContent();
    expect(legend).toContain('whitepaper §11');
    expect(legend).toContain("lab's rules");
    // The batch closed its nodes: the page says so and what to do, not "not answering" in red.
    await expect
      .poll(
        () =>
          page
            .getByTestId('lab-idle-banner')
            .textContent()
            .catch(() => ''),
        {
          timeout: 30_000,
        },
      )
      .toContain('(the batch closed its nodes): start a new one');
    expect(await page.getByText('is not answering').count()).toBe(0);
    await screenshotBoth(page, 'lab-theory-page-batch');
    // …and the button it names is there: a new lab starts, and the banner goes.
    await page.getByRole('button', { name: 'Start a new lab' }).click();
    await expect
      .poll(() => page.getByTestId('lab-idle-banner').count(), { timeout: 120_000 })
      .toBe(0);
    await expect.poll(() => page.locator('.lab-state.running').count()).toBe(3);

    // A full batch's JSON (blockyard lab batch --json, the one docs/lab.md reports).
    await page
      .getByTestId('lab-batch-import')
      .setInputFiles(new URL('../../docs/lab-batch.json', import.meta.url).pathname);
    await expect
      .poll(() => page.locator('[data-testid="lab-batch-table"] tbody tr').count())
      .toBeGreaterThan(2);
    await expect.poll(() => panel.locator('.lab-theory-chart canvas').count()).toBeGreaterThan(1);
    await screenshotsThatFit(page, 'lab-theory-full-batch');
    // Not a batch: said so, nothing else breaks.
    await page.getByTestId('lab-batch-import').setInputFiles({
      name: 'timeline.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"version":1,"nodes":[],"events":[]}'),
    });
    await expect.poll(() => panel.textContent()).toContain('not a lab batch');
    expect(
      problems.filter((p) => !/status of (409 \(Conflict\)|502 \(Bad Gateway\))/.test(p)),
    ).toEqual([]);
  }, 300_000);
});
