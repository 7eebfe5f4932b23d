/**
 * Mining you can feel, on the Mine page in Chromium against a real node (issue 15, points 2
 * and 7): the nonce search shown while it runs, each block's tries, time, hash rate and reward,
 * and N blocks mined at once.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { heldSearch } from '../support/heldSearch.js';
import { closeNodesAfterEach, startNode } from '../support/http.js';
import { openPage, useBrowser } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

describe('mining you can feel', () => {
  it('shows the nonce search while it runs, then what the block took', async () => {
    // The search holds until the page has shown it running.
    const { search, release } = heldSearch();
    const node = await startNode({ search });
    onTestFinished(release); // a failed check must not leave the node's close waiting
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('0');

    await page.getByRole('button', { name: 'Mine', exact: true }).click();
    const running = page.getByTestId('nonce-search');
    await expect
      .poll(() => running.textContent())
      .toMatch(
        /^Searching for block #1: [0-9.]+ m?s so far\.On average 2 tries: a hash starting with 1 zero bits/,
      );
    await screenshotsThatFit(page, 'mine-searching');
    release();

    const effort = page.getByTestId('mined-effort');
    await expect.poll(() => effort.textContent()).toMatch(/[0-9,]+ tries in [0-9.]+ m?s \(/);
    expect(await effort.textContent()).toMatch(/Reward50 coins to the node's address/);
    expect(await page.getByTestId('mined-tries').textContent()).toMatch(
      /^Found after [0-9,]+ tries in [0-9.]+ m?s \([0-9.]+ [kM]?H\/s\); reward 50 coins\.$/,
    );
    expect(await running.count()).toBe(0);
    await screenshotsThatFit(page, 'mine-found');
    expect(problems).toEqual([]);
  });

  it('mines N blocks at once', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('0');
    await page.getByRole('spinbutton', { name: 'Blocks' }).fill('5');
    await page.getByRole('button', { name: 'Mine 5 blocks' }).click();
    const mined = page.getByTestId('mined');
    await expect.poll(() => mined.textContent()).toContain('5 New Blocks Forged: block #5');
    expect(await page.getByTestId('mined-tries').textContent()).toMatch(
      /^5 blocks: [0-9,]+ tries in .+ in all; reward 250 coins\.$/,
    );
    expect(node.chain.tip.header.height).toBe(5);
    await page.getByRole('spinbutton', { name: 'Blocks' }).fill('0');
    expect(await page.getByRole('button', { name: 'Mine', exact: true }).isDisabled()).toBe(true);
    await screenshotsThatFit(page, 'mine-five');
    expect(problems).toEqual([]);
  });
});
