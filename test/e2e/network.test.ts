/**
 * The Network page in Chromium against real nodes on 127.0.0.1: registering a second node shows
 * it in the peer list with its tip; the node then moves to the other's heavier chain, and the
 * block tree shows the blocks it left behind as a stale branch beside the new main chain. A
 * longer tree with stale and invalid branches scrolls sideways on a phone and follows the tip.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Block, encodeBlock, hashHeader, toHex } from '../../src/core/index.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { blockOn, bobOverspends } from '../support/chainBuilder.js';
import { closeNodesAfterEach, get, postJson } from '../support/http.js';
import { mine, startP2pNode, waitForTip } from '../support/p2p.js';
import { openPage, screenshot, screenshotBoth, useBrowser, viewports } from './support/browser.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper named like a React hook.
const browser = useBrowser();

/** The main chain's hashes from height `from` to the tip. */
async function mainHashes(node: BlockyardNode, from: number): Promise<string[]> {
  const hashes = [];
  for (let h = from; h <= node.chain.tip.header.height; h++) {
    hashes.push((await get(`${node.url}/api/blocks/${h}`)).body.hash as string);
  }
  return hashes;
}

/** Submits a branch of `length` blocks on the main block at `height`; returns its blocks. */
async function sideBranch(node: BlockyardNode, height: number, length: number): Promise<Block[]> {
  let parent = node.chain.getBlock(node.chain.main[height]!);
  const blocks = [];
  for (let i = 0; i < length; i++) {
    parent = blockOn(parent);
    // As a sync adds them: POSTed, a branch this deep would be refused (POLICY_FORK_TOO_DEEP).
    const added = await node.chain.addBlock(parent);
    expect(added.ok && added.value.status).toBe('side');
    blocks.push(parent);
  }
  return blocks;
}

/** The hashes of the tree's blocks matching `selector` (data attributes), left to right. */
const treeHashes = (page: Page, selector: string) =>
  page
    .locator(`[data-testid="block-tree"] a${selector}`)
    .evaluateAll((links) => links.map((link) => link.getAttribute('data-hash')));

describe('the Network page', () => {
  it('Register a second node on the Network page and see its tip; after a reorg, the block tree shows the stale branch', async () => {
    const [a, b] = [await startP2pNode(), await startP2pNode()];
    for (let i = 0; i < 2; i++) await mine(a);
    for (let i = 0; i < 4; i++) await mine(b);
    const leftBehind = await mainHashes(a, 1);
    const bTip = b.chain.tip.hashHex;

    const { page, problems } = await openPage(browser(), `${a.url}/#/network`);
    await expect.poll(() => treeHashes(page, '[data-main="true"]')).toEqual(await mainHashes(a, 0));
    await expect.poll(() => page.getByTestId('no-peers').count()).toBe(1);

    // One node that is there and one that is not yet: both kept, the second retried.
    const nowhere = 'http://127.0.0.1:1';
    await page.getByLabel('Node URLs').fill(`${b.url}, ${nowhere}`);
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.getByTestId('register-added').textContent()).toContain(b.url);
    await expect
      .poll(() => page.getByTestId('register-retrying').textContent())
      .toContain(`${nowhere} is not answering yet: this node will keep trying`);
    const waiting = page.getByTestId('peer-table').locator(`tr[data-peer="${nowhere}"]`);
    await expect.poll(() => waiting.textContent()).toContain('retrying');
    // Its last error is the code's meaning and when, short: never a URL.
    await expect
      .poll(() => waiting.locator('.peer-error').textContent())
      .toMatch(
        /^The peer could not be reached \(refused, reset, no route\)\. *(just now|\d+ s ago)/,
      );

    const row = page.getByTestId('peer-table').locator(`tr[data-peer="${b.url}"]`);
    await expect.poll(() => row.getByTestId('peer-tip-height').textContent()).toBe('4');
    await expect.poll(() => row.locator('.badge').textContent()).toBe('answering');

    // Registration syncs at once: A moves to B's heavier chain, and Sync now finds nothing more.
    await waitForTip(a, bTip);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const report = page.getByTestId('sync-report');
    await expect.poll(() => report.textContent()).toContain('Our chain is authoritative');
    await expect
      .poll(() => report.locator(`li[data-peer="${b.url}"]`).textContent())
      .toContain('synced');

    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('4');
    await expect.poll(() => treeHashes(page, '[data-main="false"]')).toEqual(leftBehind);
    expect(await treeHashes(page, '[data-main="true"]')).toEqual(await mainHashes(b, 0));
    expect(await treeHashes(page, '[data-tip="true"]')).toEqual([bTip]);
    expect(await treeHashes(page, '[data-invalid="true"]')).toEqual([]);
    expect(await page.getByTestId('stale-count').textContent()).toBe('2');
    await expect.poll(() => row.textContent()).toContain('same tip as us');

    // Each block of the tree opens its block page.
    const stale = page.locator(`[data-testid="block-tree"] a[data-hash="${leftBehind[0]}"]`);
    expect(await stale.getAttribute('href')).toBe(`#/block/${leftBehind[0]}`);
    expect(await stale.locator('title').textContent()).toContain('stale branch');

    await screenshotBoth(page, 'network-after-reorg');

    // Remove forgets the peer, on the node and on the page.
    await page.getByRole('button', { name: `Remove ${b.url}` }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByRole('button', { name: `Remove ${nowhere}` }).click();
    await expect.poll(() => page.getByTestId('no-peers').count()).toBe(1);
    expect(a.network.peers.get(b.url)).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('explains a registration that adds nothing', async () => {
    const node = await startP2pNode();
    const { page } = await openPage(browser(), `${node.url}/#/network`);
    await page.getByLabel('Node URLs').fill('ftp://example.org');
    await page.getByRole('button', { name: 'Register' }).click();
    const note = page.getByRole('alert').filter({ hasText: 'Nothing was registered' });
    await expect.poll(() => note.textContent()).toContain('P2P_BAD_URL');
    await page.getByLabel('Node URLs').fill(' , ');
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => note.textContent()).toContain('at least one node URL');
  });

  it('draws a long tree with stale and invalid branches, scrolled to the tip on a phone, live', async () => {
    const node = await startP2pNode();
    for (let i = 0; i < 40; i++) await mine(node);
    // Forked at 5, below the window of the last 30 heights (11 to 40): its top 5 reach into it.
    await sideBranch(node, 5, 10);
    await sideBranch(node, 30, 3);
    await sideBranch(node, 33, 1);
    await sideBranch(node, 36, 2);
    // Bob has nothing: a block spending his coins is stored, then found invalid when connected.
    const theft = bobOverspends();
    const invalid = blockOn(node.chain.getBlock(node.chain.tip), [theft]);
    const refused = await postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(invalid)) });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const invalidHash = toHex(hashHeader(invalid.header));

    const { page, problems } = await openPage(browser(), `${node.url}/#/network`, viewports.phone);
    await expect.poll(() => treeHashes(page, '[data-invalid="true"]')).toEqual([invalidHash]);
    expect(await treeHashes(page, '[data-main="true"]')).toHaveLength(30);
    expect(await page.getByTestId('stale-count').textContent()).toBe(`${5 + 3 + 1 + 2}`);
    const scroller = page.locator('.tree-scroll');
    const scroll = () =>
      scroller.evaluate((el) => ({
        overflows: el.scrollWidth > el.clientWidth,
        atEnd: el.scrollLeft + el.clientWidth >= el.scrollWidth - 1,
      }));
    await expect.poll(scroll).toEqual({ overflows: true, atEnd: true });
    await screenshotBoth(page, 'network-tree');
    // The oldest column: the main chain and the deep branch come in from further back.
    expect(await page.locator('.tree-edge.stub').count()).toBe(2);
    const scrollTo = async (where: 'start' | 'end') => {
      await scroller.evaluate((el, to) => {
        el.scrollLeft = to === 'start' ? 0 : el.scrollWidth;
      }, where);
      // Scroll events are dispatched before the next frame's callbacks.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
    };
    await scrollTo('start');
    await screenshot(page, 'network-tree-oldest-desktop');

    // A reader looking back is left there when a block arrives; one at the tip follows it.
    await mine(node);
    const tip = () => treeHashes(page, '[data-tip="true"]');
    await expect.poll(tip).toEqual([node.chain.tip.hashHex]);
    expect(await scroller.evaluate((el) => el.scrollLeft)).toBe(0);
    await page.setViewportSize(viewports.phone);
    await scrollTo('end');
    await mine(node);
    await expect.poll(tip).toEqual([node.chain.tip.hashHex]);
    await expect.poll(scroll).toEqual({ overflows: true, atEnd: true });
    expect(problems).toEqual([]);
  });
});
