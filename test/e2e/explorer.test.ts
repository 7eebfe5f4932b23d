/**
 * The explorer in Chromium against a real node: the latest blocks paged and live, a block's
 * header and transactions (main chain and stale), a transaction turning from pending to
 * confirmed — and one dropped — without a reload, an address's balance and paged history, and
 * the header's search for each kind of thing. Every wait is on the page; nothing sleeps.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { blockHashHex, COIN, txIdHex, txToJson } from '../../src/core/index.js';
import { signTransfer } from '../../src/core/nobleEd25519.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { bob, ChainBuilder, carol, easyParams } from '../support/chainBuilder.js';
import {
  addressOf,
  closeNodesAfterEach,
  postJson,
  sendFromNode,
  startNode,
} from '../support/http.js';
import { openPage, screenshotBoth, useBrowser } from './support/browser.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup named like a hook, not React's.
const browser = useBrowser();

const NOT_FOUND =
  'console: Failed to load resource: the server responded with a status of 404 (Not Found)';

async function mine(node: BlockyardNode, count = 1): Promise<void> {
  for (let i = 0; i < count; i++) expect((await node.miner.mineOnce()).ok).toBe(true);
}

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
const rows = (page: Page, table: string) =>
  page.getByRole('table', { name: table, exact: true }).locator('tbody tr');

describe('the explorer', () => {
  it('pages through the latest blocks; the first page follows the chain', async () => {
    const node = await startNode();
    await mine(node, 24);
    const { page, problems } = await openPage(browser(), `${node.url}/#/explorer`);
    await expect.poll(() => rows(page, 'Blocks').count()).toBe(20);
    expect(await rows(page, 'Blocks').first().textContent()).toContain('#24');

    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => rows(page, 'Blocks').count()).toBe(5);
    expect(await rows(page, 'Blocks').first().textContent()).toContain('#4');
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => rows(page, 'Blocks').count()).toBe(20);

    await mine(node);
    await expect.poll(() => rows(page, 'Blocks').first().textContent()).toContain('#25');
    expect(await rows(page, 'Blocks').count()).toBe(20);
    await screenshotBoth(page, 'explorer-paged');
    expect(problems).toEqual([]);
  });

  it('shows a block: header, transactions, neighbours, live confirmations; and a stale one', async () => {
    const node = await startNode();
    await mine(node);
    const txId = await sendFromNode(node, bob.key, 3);
    await mine(node);
    const block2 = node.chain.tip;
    const { page, problems } = await openPage(browser(), `${node.url}/#/block/2`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe('Block #2 main chain');
    const fields = await page.locator('dl.fields').textContent();
    expect(fields).toContain(block2.hashHex);
    expect(fields).toContain(node.chain.main[1]!.hashHex);
    expect(fields).toContain(Buffer.from(block2.header.merkleRoot).toString('hex'));
    expect(fields).toContain(`Nonce${block2.header.nonce}`);
    expect(await text(page, 'confirmations')).toBe('1');
    await expect.poll(() => rows(page, 'Transactions in this block').count()).toBe(2);
    const transfer = rows(page, 'Transactions in this block').nth(1);
    expect(await transfer.locator('td').nth(2).textContent()).toBe('3');
    expect(await transfer.locator('td').nth(3).textContent()).toBe('0.0001');
    expect(await transfer.getByRole('link').first().getAttribute('title')).toBe(txId);

    // A block mined meanwhile: one more confirmation, and now a next block.
    await mine(node);
    await expect.poll(() => text(page, 'confirmations')).toBe('2');
    await page.getByRole('link', { name: 'Next block →' }).click();
    await expect.poll(() => heading.textContent()).toBe('Block #3 main chain');
    await page.getByRole('link', { name: '← Previous block' }).click();
    await expect.poll(() => page.url()).toContain(`#/block/${block2.hashHex}`);
    await expect.poll(() => heading.textContent()).toBe('Block #2 main chain');
    await screenshotBoth(page, 'block-page');

    // Another block at height 1, on a branch with less work: the node keeps it, off the main chain.
    const side = new ChainBuilder().mine({ minerKey: carol.key });
    const added = await node.chain.addBlock(side);
    expect(added.ok).toBe(true);
    const sideHash = blockHashHex(side.header);
    await page.goto(`${node.url}/#/block/${sideHash}`);
    await expect.poll(() => heading.textContent()).toBe('Block #1 stale: not on the main chain');
    expect(await text(page, 'confirmations')).toBe('0 (not on the main chain)');
    expect(await page.getByRole('link', { name: 'Next block →' }).count()).toBe(0);
    await screenshotBoth(page, 'block-stale');
    expect(problems).toEqual([]);
  });

  it('follows a transaction from pending to confirmed, and shows a dropped one with its reason', async () => {
    const node = await startNode();
    await mine(node);
    const id = await sendFromNode(node, bob.key, 1);
    const { page, problems } = await openPage(browser(), `${node.url}/#/tx/${id}`);
    await expect.poll(() => text(page, 'tx-status')).toBe('pending');
    await screenshotBoth(page, 'tx-pending');
    await mine(node);
    await expect.poll(() => text(page, 'tx-status')).toBe('confirmed');
    expect(await text(page, 'tx-confirmations')).toBe('1');
    await mine(node);
    await expect.poll(() => text(page, 'tx-confirmations')).toBe('2');
    await screenshotBoth(page, 'tx-confirmed');

    // A transfer replaced by one with the same nonce and a higher fee: dropped, in place.
    const replacedId = await sendFromNode(node, bob.key, 2);
    await page.goto(`${node.url}/#/tx/${replacedId}`);
    await expect.poll(() => text(page, 'tx-status')).toBe('pending');
    const replacement = signTransfer(
      {
        type: 'transfer',
        chainId: easyParams.chainId,
        from: node.nodeKey.publicKey,
        to: carol.key,
        amount: 2n * COIN,
        fee: 100_000n,
        nonce: 1n,
      },
      node.nodeKey.secretKey,
    );
    const sent = await postJson(`${node.url}/api/tx`, txToJson(replacement, easyParams));
    expect(sent.status).toBe(201);
    await expect.poll(() => text(page, 'tx-status')).toBe('dropped');
    const reason = page.getByRole('status');
    expect(await reason.textContent()).toContain('MEMPOOL_REPLACED');
    // The replacement, named in the reason, is a link to its own page.
    expect(await reason.getByRole('link').getAttribute('title')).toBe(txIdHex(replacement));
    await screenshotBoth(page, 'tx-dropped');

    await page.goto(`${node.url}/#/tx/${'0'.repeat(64)}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('API_NOT_FOUND');
    expect(problems).toEqual([NOT_FOUND]);
  });

  it('shows an address: balance, nonce, pending, and its history paged and live', async () => {
    const node = await startNode();
    await mine(node);
    for (let i = 0; i < 21; i++) await sendFromNode(node, bob.key, 1);
    await mine(node);
    await sendFromNode(node, carol.key, 0.5);
    const { page, problems } = await openPage(
      browser(),
      `${node.url}/#/address/${addressOf(bob.key)}`,
    );
    await expect.poll(() => text(page, 'balance')).toBe('21 coins');
    const history = () => rows(page, 'Confirmed transactions');
    await expect.poll(() => history().count()).toBe(20);
    expect(await history().first().textContent()).toContain('+1');
    // All 21 are in block 2: the next page starts inside that block, with the one left.
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => history().count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newest' }).click();
    await expect.poll(() => history().count()).toBe(20);

    // The node's own address: 23 entries, a transfer pending, nonce 21.
    await page.goto(`${node.url}/#/address/${node.nodeKey.address}`);
    await expect
      .poll(() => page.locator('dl.fields').textContent())
      .toContain('Pending (sent)1 transfer');
    expect(await page.locator('dl.fields').textContent()).toContain('Nonce21 (next transfer: 22)');
    await expect.poll(() => rows(page, 'Pending transfers').count()).toBe(1);
    expect(await history().count()).toBe(20);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => history().count()).toBe(3);
    await page.getByRole('button', { name: 'Newest' }).click();
    await screenshotBoth(page, 'address-page');

    // Live: the pending transfer is mined, and the page follows.
    await mine(node);
    await expect
      .poll(() => page.locator('dl.fields').textContent())
      .toContain('Pending (sent)0 transfers');
    await expect.poll(() => rows(page, 'Pending transfers').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('searches for a height, a block hash, a transaction, an address, and says when nothing matches', async () => {
    const node = await startNode();
    await mine(node);
    const txId = await sendFromNode(node, bob.key, 1);
    await mine(node);
    const { page, problems } = await openPage(browser(), `${node.url}/#/mine`);
    const box = page.getByLabel('Search height, hash, transaction or address');
    const search = async (query: string) => {
      await box.fill(query);
      await box.press('Enter');
    };
    const heading = page.getByRole('heading', { level: 1 });

    await search('1');
    await expect.poll(() => page.url()).toMatch(/#\/block\/1$/);
    await expect.poll(() => heading.textContent()).toBe('Block #1 main chain');
    await search(node.chain.tip.hashHex.toUpperCase());
    await expect.poll(() => page.url()).toContain(`#/block/${node.chain.tip.hashHex}`);
    await expect.poll(() => heading.textContent()).toBe('Block #2 main chain');
    await search(txId);
    await expect.poll(() => page.url()).toContain(`#/tx/${txId}`);
    await expect.poll(() => text(page, 'tx-status')).toBe('confirmed');
    await search(addressOf(bob.key));
    await expect.poll(() => page.url()).toContain(`#/address/${addressOf(bob.key)}`);
    await expect.poll(() => text(page, 'balance')).toBe('1 coin');

    const message = page.locator('.search-message');
    await search('hello');
    await expect.poll(() => message.textContent()).toContain('Search for a block height');
    await search('ab'.repeat(32));
    await expect
      .poll(() => message.textContent())
      .toBe('No block or transaction with that hash on this node.');
    const typo = `${addressOf(bob.key).slice(0, -1)}${addressOf(bob.key).endsWith('q') ? 'p' : 'q'}`;
    await search(typo);
    await expect.poll(() => message.textContent()).toContain('bad checksum');
    expect(page.url()).toContain(`#/address/${addressOf(bob.key)}`);
    await screenshotBoth(page, 'search-message');
    // One /api/search a query, always 200: no guess shows up as a failed request.
    expect(problems).toEqual([]);
  });
});
