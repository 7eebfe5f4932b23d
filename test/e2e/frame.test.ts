/**
 * The dashboard's frame, in Chromium against a real node: the node serves the built app at `/`,
 * every tab opens without a console error, the header follows the chain live, and a stopped
 * node is reported on the page instead of failing silently.
 */
import { describe, expect, it } from 'vitest';
import { closeNodesAfterEach, startNode, stopNode } from '../support/http.js';
import { openPage, screenshot, useBrowser } from './support/browser.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest's beforeAll/afterAll, not a React hook.
const browser = useBrowser();

describe('the dashboard frame', () => {
  it('is served at / with every tab reachable, and follows new blocks live', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), node.url);
    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('0');
    for (const tab of ['Explorer', 'Network', 'Tamper', 'Wallet', 'Mine']) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await expect.poll(() => page.url()).toContain(`#/${tab.toLowerCase()}`);
    }
    await node.miner.mineOnce();
    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('1');
    expect(problems).toEqual([]);
  });

  it('says so when the node stops answering', async () => {
    const node = await startNode();
    const { page } = await openPage(browser(), node.url);
    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('0');
    await stopNode(node);
    await expect.poll(() => page.getByText('Live updates paused').count()).toBe(1);
    await screenshot(page, 'frame-node-stopped');
  });
});
