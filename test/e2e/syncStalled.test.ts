/**
 * A stalled sync as a person meets it, in Chromium against a real node on 127.0.0.1: the node's
 * only peer drips its blocks a byte at a time (test/support/dripPeer.ts), the sync gives up on it
 * (P2P_TOO_SLOW, fetchBatch.ts), and the header says the sync stalled, with a link to the peer
 * list, whose row for that peer says the sync stalled there and why. Once the peer is fast again
 * and the person asks for a sync ("Sync now"), the chain reaches the peer's tip and both clear.
 * Screenshots at 390 and 1280 px after each change; nothing may be wider than a phone's screen.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMeanings } from '../../src/core/index.js';
import { alice, bob, type ChainBuilder, fundedChain } from '../support/chainBuilder.js';
import { type DripPeer, registerUntilGivenUp, startDripPeer } from '../support/dripPeer.js';
import { closeNodesAfterEach } from '../support/http.js';
import { startP2pNode } from '../support/p2p.js';
import { CHROMIUM, openPage, useBrowser } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
const drips: DripPeer[] = [];
afterEach(async () => {
  await Promise.all(drips.splice(0).map((d) => d.close()));
});

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) process.stdout.write(`syncStalled: skipped, no Chromium at ${CHROMIUM}\n`);

describe.skipIf(!haveChromium)('a stalled sync on the dashboard', () => {
  const browser = useBrowser();

  it('the header says so and links to the peer list, which says why; both clear once the sync resumes', async () => {
    const chain: ChainBuilder = fundedChain();
    for (let i = 0; i < 3; i++) chain.mine({ transfers: [chain.transfer(alice, bob, 1n)] });
    const target = chain.blocks.length - 1;
    const node = await startP2pNode();
    const drip = await startDripPeer(node, chain);
    drips.push(drip);
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    await registerUntilGivenUp(node, drip, 120_000);

    // The header: stalled, at which height, towards which, and a link to why.
    const stalled = page.getByTestId('sync-stalled');
    await expect.poll(() => stalled.count(), { timeout: 30_000 }).toBe(1);
    const height = Number(await page.getByTestId('tip-height').textContent());
    expect(height).toBeLessThan(target);
    expect(await stalled.textContent()).toContain(`sync stalled at ${height}/${target}: see why`);
    await screenshotsThatFit(page, 'sync-stalled-header');

    // The link goes to the peer list, scrolled to; the peer's row says the sync stalled there.
    await stalled.getByRole('link', { name: 'see why' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/network/peers');
    const row = page.getByTestId('peer-table').locator(`tr[data-peer="${drip.peer.url}"]`);
    await expect
      .poll(() => row.getByTestId('peer-stalled').textContent(), { timeout: 30_000 })
      .toBe(`the sync stalled here at ${height}/${target}`);
    expect(await row.locator('.peer-error').textContent()).toContain(errorMeanings.P2P_TOO_SLOW);
    // Its tip is the one it said it has, not what the stalled sync got from it.
    expect(await row.getByTestId('peer-tip-height').textContent()).toBe(String(target));
    expect(await page.locator('#peers-heading').isVisible()).toBe(true);
    await screenshotsThatFit(page, 'sync-stalled-peers');

    // The peer is fast again; the person asks for a sync.
    drip.whole();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(() => page.getByTestId('tip-height').textContent(), { timeout: 60_000 })
      .toBe(String(target));
    await expect.poll(() => page.getByTestId('sync-stalled').count()).toBe(0);
    await expect.poll(() => row.getByTestId('peer-stalled').count()).toBe(0);
    await screenshotsThatFit(page, 'sync-stalled-cleared');
    expect(problems).toEqual([]);
  }, 180_000);
});
