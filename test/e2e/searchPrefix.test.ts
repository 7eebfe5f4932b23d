/**
 * The header's search with a prefix that two blocks share: the page lists both as links, as a
 * normal answer (no 409 reaches the browser, so nothing is logged as an error), and picking one
 * opens it.
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock, hashHeader, toHex } from '../../src/core/index.js';
import { blockWithPrefix } from '../support/blockWithPrefix.js';
import { closeNodesAfterEach, postJson, startNode } from '../support/http.js';
import { openPage, useBrowser } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

describe('search by a shared prefix', { timeout: 120_000 }, () => {
  it('lists the candidates without a console error, and opens the one picked', async () => {
    const node = await startNode();
    const genesis = node.chain.getBlock(node.chain.main[0]!);
    const blocks = [0, 1].map((i) => blockWithPrefix(genesis, '5eed', i));
    for (const block of blocks) {
      const posted = await postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(block)) });
      expect(posted.status).toBe(200);
    }
    const hashes = blocks.map((b) => toHex(hashHeader(b.header)));
    const { page, problems, requests } = await openPage(browser(), `${node.url}/#/explorer`);
    await page.getByLabel('Search height, hash, transaction or address').fill('5eed');
    await page.getByRole('button', { name: 'Search' }).click();
    const candidates = page.getByRole('list', { name: 'Candidates' }).getByRole('link');
    await expect.poll(() => candidates.count()).toBe(2);
    const texts = await candidates.allTextContents();
    for (const hash of hashes) expect(texts.join('\n')).toContain(hash);
    expect(requests.some((r) => r.url.includes('/api/search?q=5eed&ambiguous=list'))).toBe(true);
    await screenshotsThatFit(page, 'search-candidates');

    await candidates.filter({ hasText: hashes[1]! }).click();
    await expect.poll(() => page.url()).toContain(`#/block/${hashes[1]}`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toMatch(/^Block #1/);
    expect(problems).toEqual([]);
  });
});
