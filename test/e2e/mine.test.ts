/**
 * The Mine page in Chromium against a real node: mining one block from the page, the block
 * showing up in the explorer without a reload, the continuous miner started and stopped, the
 * node's wallet sending, pending transactions following the mempool, and an operator action
 * refused with its meaning shown. Every wait is on the page; nothing sleeps.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bob } from '../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, startNode } from '../support/http.js';
import { openPage, screenshotBoth, useBrowser } from './support/browser.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

const tipHeight = (page: Page) => page.getByTestId('tip-height').textContent();

/** Marks the window, so a later check can tell the page was never reloaded. */
async function markWindow(page: Page): Promise<() => Promise<unknown>> {
  // NOTE: globalThis is the page's window here (the test's tsconfig has no DOM types).
  await page.evaluate(() => {
    (globalThis as { notReloaded?: boolean }).notReloaded = true;
  });
  return () => page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded);
}

describe('the Mine page', () => {
  it('Mine from the dashboard, the new block shows up in the explorer without a reload', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    await expect.poll(() => tipHeight(page)).toBe('0');
    const notReloaded = await markWindow(page);

    await page.getByRole('button', { name: 'Mine', exact: true }).click();
    const mined = page.getByTestId('mined');
    await expect.poll(() => mined.textContent()).toContain('New Block Forged: block #1');
    expect(await mined.getByRole('link').nth(1).getAttribute('title')).toBe(node.chain.tip.hashHex);
    const recent = page.getByRole('table', { name: 'Recent blocks' });
    await expect.poll(() => recent.getByRole('link', { name: '#1', exact: true }).count()).toBe(1);
    await screenshotBoth(page, 'mine-after-mining');

    await page.getByRole('link', { name: 'Explorer', exact: true }).click();
    await expect.poll(() => page.url()).toContain('#/explorer');
    const blocks = page.getByRole('table', { name: 'Blocks', exact: true });
    await expect.poll(() => blocks.getByRole('link', { name: '#1', exact: true }).count()).toBe(1);

    // With the explorer open, a block mined on the node appears as a new row.
    const entry = await node.miner.mineOnce();
    expect(entry.ok).toBe(true);
    await expect.poll(() => blocks.getByRole('link', { name: '#2', exact: true }).count()).toBe(1);
    await expect.poll(() => blocks.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => blocks.locator('tbody tr').first().getAttribute('class')).toBe('fresh');
    expect(await notReloaded()).toBe(true);
    await screenshotBoth(page, 'explorer-latest');
    expect(problems).toEqual([]);
  });

  it('starts and stops the continuous miner, showing its hash rate, kernel and threads', async () => {
    const node = await startNode({ minerThreads: 1 });
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    const status = page.getByTestId('miner-status');
    await expect.poll(() => status.textContent()).toBe('stopped');
    const panel = page.locator('.panel', { has: status });
    expect(await panel.textContent()).toContain('Threads1');
    // The hashing code's name is jargon: behind "Details" (issue 15, point 1).
    expect(await panel.getByText(node.miner.status().kernel).isVisible()).toBe(false);
    await panel.getByText('Details').click();
    expect(await panel.getByText(node.miner.status().kernel).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Start miner' }).click();
    await expect.poll(() => status.textContent()).toBe('running');
    // The hash rate is polled while the miner runs; blocks arrive in the list as they are mined.
    await expect.poll(() => page.getByTestId('miner-hash-rate').textContent()).toMatch(/H\/s$/);
    const recent = page.getByRole('table', { name: 'Recent blocks' });
    await expect
      .poll(() => recent.getByRole('link', { name: '#1', exact: true }).count(), {
        timeout: 20_000,
      })
      .toBe(1);
    await screenshotBoth(page, 'mine-miner-running');

    await page.getByRole('button', { name: 'Stop miner' }).click();
    await expect.poll(() => status.textContent()).toBe('stopped');
    expect(node.miner.status().running).toBe(false);
    await expect.poll(() => page.getByTestId('miner-hash-rate').textContent()).toBe('—');
    expect(problems).toEqual([]);
  });

  it("sends from the node's wallet; the pending list follows the mempool live", async () => {
    const node = await startNode();
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    const count = page.getByTestId('pending-count');
    await expect.poll(() => count.textContent()).toBe('0');

    await page.getByLabel('Recipient').fill(addressOf(bob.key));
    await page.getByLabel('Amount (coins)').fill('2.5');
    await page.getByRole('button', { name: 'Send from node' }).click();
    const sent = page.getByTestId('sent');
    await expect
      .poll(() => sent.textContent())
      .toContain('pending until a block takes it (the next is #2)');
    const [entry] = node.mempool.entries();
    expect(entry?.tx.amount).toBe(250_000_000n);
    expect(await sent.getByRole('link').getAttribute('title')).toBe(entry?.idHex);
    await expect.poll(() => count.textContent()).toBe('1');
    const pending = page.getByRole('table', { name: 'Pending transactions' });
    expect(await pending.locator('tbody tr').textContent()).toContain('2.5');
    await screenshotBoth(page, 'mine-pending');

    await page.getByRole('button', { name: 'Mine', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('mined').textContent())
      .toContain('with 2 transactions');
    await expect.poll(() => count.textContent()).toBe('0');
    expect(node.chain.state.getAccount(Buffer.from(bob.key).toString('hex'))?.balance).toBe(
      250_000_000n,
    );
    expect(problems).toEqual([]);
  });

  it('shows what an operator-only refusal means', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    await expect.poll(() => tipHeight(page)).toBe('0');
    // As a browser elsewhere would be refused: a request the node cannot take for its operator's.
    await page.route('**/mine', (route) =>
      route.continue({
        headers: { ...route.request().headers(), authorization: 'Bearer not-the-token' },
      }),
    );
    await page.getByRole('button', { name: 'Mine', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('API_UNAUTHORIZED');
    expect(await alert.textContent()).toContain('Refused: only the node’s operator may do this.');
    expect(await alert.textContent()).toContain('An operator action: call it from this machine');
    expect(node.chain.tip.header.height).toBe(0);
    await screenshotBoth(page, 'mine-unauthorized');
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
  });
});
