/**
 * "Bytes, explained" on the block and transaction pages, in Chromium against a real node: the
 * canonical bytes field by field (pointing at a field highlights its bytes), the block's hash
 * worked out in the browser and compared with the target, a transfer's id and its signature
 * verified in the browser, and a field's link opening its section of the protocol on the
 * dashboard's own Protocol page. No console errors; nothing scrolls sideways at 390 px.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/index.js';
import { bob } from '../support/chainBuilder.js';
import { closeNodesAfterEach, sendFromNode, startNode } from '../support/http.js';
import { openPage, SCREENSHOTS, useBrowser, viewports } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

describe('bytes, explained', { timeout: 120_000 }, () => {
  it('lays out a block and a transfer, works out the hash and id, and checks the signature here', async () => {
    const node = await startNode();
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const sentId = await sendFromNode(node, bob.key, 2.5);
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const tip = node.chain.tip;

    const { page, problems } = await openPage(browser(), `${node.url}/#/block/2`);
    await page.getByRole('button', { name: 'Bytes, explained' }).click();
    const fields = page.getByTestId('byte-field');
    // 7 header fields, the count, a coinbase (5) and a transfer (8).
    await expect.poll(() => fields.count()).toBe(21);
    expect(await fields.nth(2).textContent()).toContain(toHex(tip.header.prevHash));
    expect(await fields.nth(7).textContent()).toContain('offset 92, 1 byte');
    expect(await fields.nth(17).textContent()).toContain('2.5 coins (250000000 base units)');
    expect(await page.getByTestId('computed-hash').textContent()).toBe(tip.hashHex);
    expect(await page.getByTestId('pow-verdict').textContent()).toContain('Yes');

    // Pointing at the nonce field highlights its 8 bytes in the hex.
    await fields.nth(6).hover();
    const nonce = page.locator('.byte-field.active');
    expect(await nonce.getAttribute('data-field')).toBe('header.nonce');
    expect((await nonce.textContent())!.trim().split(' ')).toHaveLength(8);
    await screenshotsThatFit(page, 'bytes-block');

    // The transfer's own page: its 157 bytes, its id, its signature checked here.
    await page.goto(`${node.url}/#/tx/${sentId}`);
    await page.getByRole('button', { name: 'Bytes, explained' }).click();
    await expect.poll(() => fields.count()).toBe(8);
    expect(await page.getByTestId('computed-id').textContent()).toBe(sentId);
    expect(await page.getByTestId('signature-verdict').textContent()).toBe('valid');
    await screenshotsThatFit(page, 'bytes-transfer');

    // A field's section of the protocol, on the dashboard's Protocol page.
    await fields.nth(7).getByRole('link').click();
    await expect.poll(() => page.url()).toContain('#/protocol/signatures');
    const heading = page.locator('#protocol-signatures');
    await expect.poll(() => heading.textContent()).toBe('Signatures');
    expect(await heading.isVisible()).toBe(true);
    // The whole protocol is tens of thousands of pixels tall: the screen at the section only.
    for (const [name, viewport] of Object.entries(viewports)) {
      await page.setViewportSize(viewport);
      await heading.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `protocol-page-${name}.png`) });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(viewport.width);
    }
    expect(problems).toEqual([]);
  });

  it('checks a merkle proof and the headers above it in the browser, and refuses a tampered one', async () => {
    const node = await startNode();
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) ids.push(await sendFromNode(node, bob.key, amount));
    for (let i = 0; i < 3; i++) expect((await node.miner.mineOnce()).ok).toBe(true);
    const id = ids[1]!;
    const { page, problems, requests } = await openPage(browser(), `${node.url}/#/tx/${id}`);
    await page.getByRole('button', { name: 'Check it here' }).click();
    const verdict = page.getByTestId('light-verdict');
    await expect
      .poll(() => verdict.getByRole('status').textContent())
      .toContain('In block #2, under 2 more blocks of proof of work: checked here.');
    expect(await verdict.locator('.checks li.good').count()).toBe(5);
    // Four leaves: two steps from the id to the root, each shown with the hash it makes.
    expect(await verdict.locator('.merkle-path li').count()).toBe(4);
    // The browser asked for the proof and for the headers above the block, nothing more.
    const asked = requests.map((r) => new URL(r.url).pathname);
    expect(asked).toContain(`/api/tx/${id}/proof`);
    expect(asked).toContain('/api/p2p/headers');
    await screenshotsThatFit(page, 'light-check');

    // A node that changes one sibling of the path: the browser's own check refuses it.
    await page.route(`**/api/tx/${id}/proof`, async (route) => {
      const real = await route.fetch();
      const body = await real.json();
      const hash: string = body.path[0].hash;
      body.path[0].hash = `${hash.slice(0, 63)}${hash.endsWith('0') ? '1' : '0'}`;
      await route.fulfill({ response: real, json: body });
    });
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect
      .poll(() => verdict.getByRole('status').textContent())
      .toContain('The proof does not hold');
    expect(await verdict.locator('.checks li.bad').textContent()).toContain(
      "merkle path ends at the header's merkle root",
    );
    await screenshotsThatFit(page, 'light-check-refused');
    expect(problems).toEqual([]);
  });
});
