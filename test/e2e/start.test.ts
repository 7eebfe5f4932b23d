/**
 * Start here (issue 15, point 1) in Chromium against a real node: the seven steps in order, each
 * linking to the real page it uses, the first-run hints (nothing mined, no peers) and /docs.
 */
import { describe, expect, it } from 'vitest';
import { closeNodesAfterEach, startNode } from '../support/http.js';
import { openPage, useBrowser } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

describe('Start here', () => {
  it('guides through the real pages, with hints where a first visit is stuck', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), `${node.url}/#/start`);
    const hints = page.getByTestId('start-hints');
    await expect.poll(() => hints.textContent()).toContain('Nothing is mined yet');
    expect(await hints.textContent()).toContain('This node has no peers yet');
    const titles = await page.locator('.start-steps h2').allTextContents();
    expect(titles).toEqual([
      '1. A hash',
      '2. A block',
      '3. A chain',
      '4. Many nodes',
      '5. Signed transfers',
      '6. The reward',
      '7. Forks and attacks',
    ]);
    expect(await page.getByRole('link', { name: '/docs' }).getAttribute('href')).toBe('/docs');
    await screenshotsThatFit(page, 'start');

    await page.getByTestId('step-2').getByRole('link', { name: 'Mine' }).click();
    await page.getByRole('button', { name: 'Mine', exact: true }).click();
    await expect.poll(() => page.getByTestId('mined-tries').textContent()).toMatch(/^Found after/);
    await page.getByRole('link', { name: 'Start here' }).click();
    await expect.poll(() => hints.textContent()).not.toContain('Nothing is mined yet');
    expect(problems).toEqual([]);
  });
});
