/**
 * The Tamper page in Chromium against a real node on the tutorial network (16-bit proof of work,
 * so an edited block's hash misses the target: odds 1 - 2^-16). Editing a transaction breaks
 * that block and every later one; re-mining in the browser mends the work and moves the broken
 * link one block on, never the signature; and nothing the page does is sent to the node.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { errorMeanings, tutorialParams } from '../../src/core/index.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { alice, bob } from '../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, postJson, startNode } from '../support/http.js';
import { openPage, screenshotBoth, useBrowser, viewports } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest's beforeAll/afterAll, not a React hook.
const browser = useBrowser();

/** Blocks 1 to 5 on the tutorial network; block 3 holds one transfer, block 4 two. */
async function nodeWithTransfers(): Promise<BlockyardNode> {
  const node = await startNode({ params: tutorialParams });
  const send = async (to: Uint8Array, amount: number) => {
    const answer = await postJson(`${node.url}/transactions/new`, {
      sender: node.nodeKey.address,
      recipient: addressOf(to, tutorialParams),
      amount,
    });
    expect(answer.status).toBe(201);
  };
  const mine = async () => expect((await node.miner.mineOnce()).ok).toBe(true);
  await mine();
  await mine();
  await send(alice.key, 5);
  await mine();
  await send(bob.key, 2.5);
  await send(alice.key, 1);
  await mine();
  await mine();
  return node;
}

const card = (page: Page, height: number) => page.getByTestId(`tamper-block-${height}`);
const verdict = (c: Locator) => c.getByTestId('verdict').textContent();
const reasons = (c: Locator) => c.locator('.failures li').allTextContents();
const linkText = (page: Page, height: number) => page.getByTestId(`link-${height}`).textContent();

async function mineInBrowser(page: Page, height: number): Promise<void> {
  // From the keyboard: every control on the page is a labelled input or a button.
  await card(page, height)
    .getByRole('button', { name: `Mine block ${height}` })
    .focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(() => card(page, height).getByRole('status').textContent(), { timeout: 20_000 })
    .toMatch(/^Mined: nonce \d+/);
}

describe('the Tamper page', () => {
  it("Tamper: editing a transaction's amount marks that block and every later one invalid", async () => {
    const node = await nodeWithTransfers();
    const { page, problems, requests } = await openPage(browser(), `${node.url}/#/tamper`);
    for (const height of [1, 2, 3, 4, 5]) {
      await expect.poll(() => verdict(card(page, height))).toBe('✓ Valid');
    }
    await expect.poll(() => page.getByTestId('tamper-block-0').count()).toBe(0);
    await expect.poll(() => linkText(page, 4)).toMatch(/^✓ Linked:/);

    const third = card(page, 3);
    await third.getByLabel('Amount (coins)').fill('500');
    await expect.poll(() => verdict(third)).toBe('✗ Invalid');
    expect(await reasons(third)).toEqual([
      "transaction 1: signature no longer matches (only the sender's key could sign the new fields)",
      'hash above target: proof of work fails',
    ]);
    expect(await reasons(card(page, 4))).toEqual(["previous hash does not match block 3's hash"]);
    expect(await reasons(card(page, 5))).toEqual(['builds on block 4, which is invalid']);
    for (const height of [1, 2]) expect(await verdict(card(page, height))).toBe('✓ Valid');
    expect(await linkText(page, 4)).toMatch(/^✗ Broken link: block 4 points at/);
    await expect.poll(() => third.getByText('✗ signature no longer matches').count()).toBe(1);
    // The strip shows the whole window on one screen: where it breaks, and every block after.
    const strip = page.getByTestId('chain-strip').getByRole('button');
    expect(
      await strip.evaluateAll((chips) => chips.map((c) => c.getAttribute('aria-label'))),
    ).toEqual([
      'Block 1: valid',
      'Block 2: valid',
      'Block 3: invalid',
      'Block 4: invalid, its link broken',
      'Block 5: invalid',
    ]);
    await screenshotBoth(page, 'tamper-edited');

    // Re-mining block 3 mends its work, not its signature; block 4 still names the old block 3.
    await mineInBrowser(page, 3);
    await expect
      .poll(() => reasons(third))
      .toEqual([
        "transaction 1: signature no longer matches (only the sender's key could sign the new fields)",
      ]);
    await expect.poll(() => third.getByText('✓ hash at or below the target').count()).toBe(1);
    expect(await reasons(card(page, 4))).toEqual(["previous hash does not match block 3's hash"]);

    // Re-mining block 4 re-links it to the new block 3 and breaks the link after it.
    await mineInBrowser(page, 4);
    await expect
      .poll(() => reasons(card(page, 4)))
      .toEqual(['builds on block 3, which is invalid']);
    expect(await linkText(page, 4)).toMatch(/^✓ Linked:/);
    expect(await reasons(card(page, 5))).toEqual(["previous hash does not match block 4's hash"]);
    await third.getByText('The 92 bytes that are hashed').click();
    expect(await third.locator('.header-bytes .changed dt').allTextContents()).toEqual([
      'merkle_root (edited)',
      'nonce (edited)',
    ]);
    await screenshotBoth(page, 'tamper-remined');

    await page.getByRole('button', { name: 'Reset all' }).click();
    for (const height of [1, 2, 3, 4, 5]) {
      await expect.poll(() => verdict(card(page, height))).toBe('✓ Valid');
    }
    expect(await third.getByLabel('Amount (coins)').inputValue()).toBe('5');
    expect(await third.getByRole('status').textContent()).toBe('');

    expect(requests.filter((r) => r.method !== 'GET' || r.body !== '')).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a timestamp edit is mended by re-mining that block and then each one after it', async () => {
    const node = await nodeWithTransfers();
    const { page, problems, requests } = await openPage(browser(), `${node.url}/#/tamper/3`);
    await expect.poll(() => verdict(card(page, 5))).toBe('✓ Valid');
    expect(await page.getByTestId('tamper-block-2').count()).toBe(0);

    // NOTE: not the nonce: mining from nonce 0 would find the node's own nonce again, and with
    // it the original block (the same bytes give the same hash).
    const timestamp = card(page, 4).getByLabel('Timestamp (ms)');
    await timestamp.fill(String(Number(await timestamp.inputValue()) + 1));
    await expect
      .poll(() => reasons(card(page, 4)))
      .toEqual(['hash above target: proof of work fails']);
    expect(await reasons(card(page, 5))).toEqual(["previous hash does not match block 4's hash"]);

    await mineInBrowser(page, 4);
    await expect.poll(() => verdict(card(page, 4))).toBe('✓ Valid');
    expect(await reasons(card(page, 5))).toEqual(["previous hash does not match block 4's hash"]);
    await mineInBrowser(page, 5);
    for (const height of [3, 4, 5]) {
      await expect.poll(() => verdict(card(page, height))).toBe('✓ Valid');
    }

    await page.setViewportSize(viewports.phone);
    // A string, not a function: this file is type-checked without the DOM's types.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(viewports.phone.width);
    await card(page, 5).getByRole('button', { name: 'Reset block 5' }).click();
    await expect
      .poll(() => reasons(card(page, 5)))
      .toEqual(["previous hash does not match block 4's hash"]);
    expect(requests.filter((r) => r.method !== 'GET' || r.body !== '')).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('"give myself 1,000 coins": the edited block is sent to the node, which says what it makes of it', async () => {
    const node = await nodeWithTransfers();
    const tipBefore = node.chain.tip.hashHex;
    const { page, problems } = await openPage(browser(), `${node.url}/#/tamper/3`);
    await expect.poll(() => verdict(card(page, 5))).toBe('✓ Valid');
    await screenshotsThatFit(page, 'tamper-row');

    const reward = card(page, 5).getByLabel('Reward (coins)');
    await reward.fill('1000');
    await expect
      .poll(() => reasons(card(page, 5)))
      .toContain('hash above target: proof of work fails');
    // Sent as it is, the node refuses it with the code the page predicted.
    const send = card(page, 5).getByRole('button', { name: 'Send block 5 to the node' });
    await send.click();
    const refusal = card(page, 5).getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('The node refused block 5.');
    expect(await refusal.textContent()).toContain('POW_INSUFFICIENT_WORK');
    await screenshotsThatFit(page, 'tamper-refused');
    // Re-mined, the page sees nothing wrong; the node keeps it aside, its chain unchanged.
    await mineInBrowser(page, 5);
    await expect.poll(() => verdict(card(page, 5))).toBe('✓ Valid');
    await send.click();
    await expect
      .poll(() => card(page, 5).locator('.send-to-node .notice').textContent())
      .toMatch(/^The node kept it aside, as a competing branch/);
    expect(node.chain.tip.hashHex).toBe(tipBefore);
    // The last step: a block on top, mined here, makes the branch heavier; the node must then
    // connect the edited block, checks it in full, and refuses it for its real reason.
    await card(page, 5).getByRole('button', { name: 'Mine 1 on top and send them' }).click();
    await expect
      .poll(() => refusal.textContent(), { timeout: 30_000 })
      .toContain('BLOCK_COINBASE_TOO_LARGE');
    expect(await refusal.textContent()).toContain(errorMeanings.BLOCK_COINBASE_TOO_LARGE);
    expect(node.chain.tip.hashHex).toBe(tipBefore);
    await screenshotsThatFit(page, 'tamper-coinbase-refused');
    // The node's 422s are the answers this test asked for.
    expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
  }, 90_000);
});
