/**
 * The explorer as a page worth keeping open, in Chromium against a real node on a retargeting
 * network: the projected next block and the mempool by fee, who mined each block and its fees,
 * the charts and the progress to the next retarget — all following the node as it mines — and
 * the header's search by the 8 characters the page shows. 390 and 1280 px, no side scroll.
 */
import { describe, expect, it } from 'vitest';
import { bob, carol, easyParams, paramsWithGenesis } from '../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, postJson, startNode } from '../support/http.js';
import { openPage, screenshotBoth, useBrowser, viewports } from './support/browser.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

describe('the explorer, kept open', () => {
  it('shows the next block, the mempool by fee, miners and fees, charts and the retarget', async () => {
    const params = paramsWithGenesis(easyParams, {
      retarget: { intervalBlocks: 4, targetBlockTimeMs: 1_000 },
    });
    const node = await startNode({ params });
    for (let i = 0; i < 9; i++) expect((await node.miner.mineOnce()).ok).toBe(true);
    const send = async (to: Uint8Array, amount: number, fee: number) => {
      const sent = await postJson(`${node.url}/transactions/new`, {
        sender: node.nodeKey.address,
        recipient: addressOf(to, params),
        amount,
        fee,
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      return sent.body.id as string;
    };
    const cheap = await send(bob.key, 2, 0.001);
    const dear = await send(carol.key, 3, 0.5);

    const { page, problems } = await openPage(browser(), `${node.url}/#/explorer`);
    const summary = page.getByTestId('next-block-summary');
    await expect.poll(() => summary.textContent()).toContain('2 of 2 pending transfers');
    expect(await summary.textContent()).toContain('fees 0.501 coins');
    const mempoolRows = page.getByRole('table', { name: 'Mempool by fee' }).locator('tbody tr');
    await expect.poll(() => mempoolRows.count()).toBe(2);
    expect(await mempoolRows.nth(0).getByRole('link').first().getAttribute('title')).toBe(dear);
    expect(await mempoolRows.nth(1).getByRole('link').first().getAttribute('title')).toBe(cheap);
    const blocks = page.getByRole('table', { name: 'Blocks', exact: true }).locator('tbody tr');
    expect(await blocks.first().textContent()).toContain('#9');
    expect(await page.locator('.charts canvas').count()).toBe(3);
    const retarget = page.getByTestId('retarget-progress');
    await expect
      .poll(() => retarget.textContent())
      .toContain('Next retarget at height #12, in 3 blocks');
    await phoneFits(page);
    await screenshotBoth(page, 'explorer-next-block');

    // The miner takes them: the next block empties, the new row names its miner and fees.
    expect((await node.miner.mineOnce()).ok).toBe(true);
    await expect.poll(() => summary.textContent()).toContain('0 of 0 pending transfers');
    await expect.poll(() => blocks.first().textContent()).toContain('#10');
    const row = await blocks.first().textContent();
    expect(row).toContain('0.501');
    expect(await blocks.first().getByRole('link').nth(2).getAttribute('title')).toBe(
      node.nodeKey.address,
    );
    await expect.poll(() => retarget.textContent()).toContain('in 2 blocks');
    await phoneFits(page);
    await screenshotBoth(page, 'explorer-after-mining');

    // The short hash the page shows is enough to search.
    const short = node.chain.main[4]!.hashHex.slice(0, 8);
    await page.getByRole('searchbox').fill(short);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.url()).toContain(`#/block/${node.chain.main[4]!.hashHex}`);
    expect(problems).toEqual([]);
  });
});

async function phoneFits(page: import('playwright-core').Page): Promise<void> {
  await page.setViewportSize(viewports.phone);
  await expect
    .poll(() => page.evaluate('document.documentElement.scrollWidth'))
    .toBe(viewports.phone.width);
  await page.setViewportSize(viewports.desktop);
}
