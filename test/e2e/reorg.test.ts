/**
 * A reorganisation seen in Chromium, between two real nodes: the banner appears on the page that
 * is open when the node moves (and on a page opened later), the stale block's page names the
 * block that replaced it, and each transaction's page tells its life — the lost half of a double
 * spend dropped as a conflict with the other, a payment back to pending then in a new block.
 * Screenshots at 390 and 1280 px after each change; no horizontal scroll at 390 px.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { closeNodesAfterEach } from '../support/http.js';
import { mine, waitForAll } from '../support/p2p.js';
import { reorgScenario } from '../support/reorgScenario.js';
import { openPage, screenshotBoth, useBrowser, viewports } from './support/browser.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

async function expectNoSideScroll(page: Page): Promise<void> {
  await page.setViewportSize(viewports.phone);
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(viewports.phone.width);
  await page.setViewportSize(viewports.desktop);
}

describe('a reorganisation in the dashboard', () => {
  it('shows the banner, the stale block and each transaction’s life', async () => {
    const s = await reorgScenario();
    const { page, problems, leave } = await openPage(browser(), `${s.light.url}/#/tx/${s.toBob}`);
    const status = page.getByTestId('tx-status');
    await expect.poll(() => status.textContent()).toBe('confirmed');
    expect(await page.getByTestId('reorg-banner').count()).toBe(0);

    await s.meet();
    const banner = page.getByTestId('reorg-banner');
    await expect.poll(() => banner.count()).toBe(1);
    const told = await banner.textContent();
    expect(told).toContain(`1 block deep, from block #${s.forkHeight} on`);
    expect(told).toContain(
      `Block #${s.forkHeight + 1} ${s.lightBlock.slice(0, 8)} was left behind`,
    );
    expect(told).toContain(`replaced by #${s.forkHeight + 1} ${s.heavyFirst.slice(0, 8)}`);
    expect(told).toContain('of 0.00000777 coins went back to the mempool');
    expect(told).toContain('of 0.00001 coins was dropped: it conflicts with');
    expect(told).toContain('TX_NONCE_TOO_LOW');
    // The lost half's page, live: dropped, with its life.
    await expect.poll(() => status.textContent()).toBe('dropped');
    const life = page.getByTestId('tx-life');
    await expect.poll(() => life.locator('li').count()).toBe(3);
    const lived = await life.textContent();
    expect(lived).toContain('This payment of 0.00001 coins entered the mempool');
    expect(lived).toContain(`Confirmed in block #${s.forkHeight + 1} ${s.lightBlock.slice(0, 8)}`);
    expect(lived).toContain('Dropped by reorganisation #1: it conflicts with');
    expect(await life.locator(`a[title="${s.toCarol}"]`).count()).toBe(1);
    await expectNoSideScroll(page);
    await screenshotBoth(page, 'reorg-banner-tx-dropped');

    // The stale block: what replaced it, and the reorganisation.
    await page.locator(`.reorg-banner a[title="${s.lightBlock}"]`).click();
    const stale = page.getByTestId('stale-note');
    await expect.poll(() => stale.count()).toBe(1);
    const staleText = await stale.textContent();
    expect(staleText).toContain(`the main chain's block at height ${s.forkHeight + 1} is`);
    expect(staleText).toContain(s.heavyFirst);
    expect(staleText).toContain('Reorganisation #1 left it behind');
    await expectNoSideScroll(page);
    await screenshotBoth(page, 'reorg-stale-block');

    // The payment that came back is mined again: its life has four steps.
    const again = await mine(s.light);
    await waitForAll([s.light, s.heavy], again.hash);
    // The reload aborts what the old document had in flight (the hash change's fetch of the
    // transaction, a poll of /api/info): the browser's doing, not a problem of the page.
    await page.goto(`${s.light.url}/#/tx/${s.stillValid}`);
    await leave(() => page.reload());
    await expect.poll(() => life.locator('li').count()).toBe(4);
    const steps = await life.locator('li').allTextContents();
    expect(steps[0]).toContain('This payment of 0.00000777 coins entered the mempool');
    expect(steps[1]).toContain(`Confirmed in block #${s.forkHeight + 1}`);
    expect(steps[2]).toContain('Back to pending: reorganisation #1 left that block behind');
    expect(steps[3]).toContain(`Confirmed in block #${s.forkHeight + 3} ${again.hash.slice(0, 8)}`);
    // A page opened after the reorganisation still tells it (it happened minutes ago at most).
    await expect.poll(() => banner.count()).toBe(1);
    await expectNoSideScroll(page);
    await screenshotBoth(page, 'reorg-tx-remined');

    await banner.getByRole('button', { name: 'Dismiss' }).click();
    expect(await banner.count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
