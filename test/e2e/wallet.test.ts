/**
 * The browser wallet (#/wallet), in Chromium against real nodes: wallets made, funded, spent
 * and received in the page, with every request the page makes recorded to prove that the words,
 * the keys and the password never leave it; keystore files that go both ways between the
 * browser and the `blockyard wallet` CLI; and the mistakes a person makes, each shown with its
 * code's meaning. The real scrypt cost (n = 2^17) runs in the browser: about a second a wallet.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { errorMeanings } from '../../src/core/errors.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import {
  accountAddress,
  accountsOf,
  openKeystore,
  parseKeystore,
  randomBytes,
  sealKeystore,
} from '../../src/wallet/index.js';
import { easyParams } from '../support/chainBuilder.js';
import { closeNodesAfterEach, get, postJson, startNode } from '../support/http.js';
import { openPage, type RecordedRequest, screenshotBoth, useBrowser } from './support/browser.js';
import { screenshotsThatFit } from './support/fits.js';

closeNodesAfterEach();
// biome-ignore lint/correctness/useHookAtTopLevel: vitest setup (beforeAll/afterAll), not a React hook.
const browser = useBrowser();

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliEntry = fileURLToPath(new URL('../support/blockyardFromSource.ts', import.meta.url));
const cliFixture = fileURLToPath(new URL('../fixtures/keystore-cli.json', import.meta.url));
const PASSWORD = 'correct horse battery';
const prefix = easyParams.addressPrefix;
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const meaning = (code: keyof typeof errorMeanings) => errorMeanings[code];
const walletUrl = (node: BlockyardNode) => `${node.url}/#/wallet`;
const addressOf = (mnemonic: string, index = 0) =>
  accountAddress(accountsOf(mnemonic)(index), prefix);
const account = (page: Page, index = 0) => page.getByTestId(`account-${index}`);
const balanceOf = (page: Page, index = 0) =>
  account(page, index).getByTestId('balance').textContent();

/** Creates a wallet in the page; the words as the page showed them, once. */
async function createWallet(page: Page, name: string, screenshots = false): Promise<string> {
  await page.getByRole('button', { name: 'Create a wallet' }).click();
  await page.getByLabel('Wallet name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  if (screenshots) await screenshotBoth(page, 'wallet-create');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const words = await page.getByTestId('mnemonic').locator('li').allTextContents();
  expect(words).toHaveLength(12);
  if (screenshots) await screenshotBoth(page, 'wallet-words');
  const save = page.getByRole('button', { name: 'Save the wallet' });
  expect(await save.isDisabled()).toBe(true);
  await page.getByLabel('I have written the 12 words down').check();
  await save.click();
  const mnemonic = words.join(' ');
  await expect
    .poll(() => account(page).getByTestId('address').textContent(), { timeout: 15_000 })
    .toBe(addressOf(mnemonic));
  // Shown once: the words are gone from the page.
  expect(await page.getByTestId('mnemonic').count()).toBe(0);
  return mnemonic;
}

/** Imports a keystore through the page's file input, which then opens it with `password`. */
async function importKeystore(page: Page, keystore: unknown, password: string): Promise<void> {
  await page.getByRole('button', { name: 'Import a wallet' }).click();
  await page.getByLabel('Keystore file (.json)').setInputFiles({
    name: 'wallet.keystore.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(keystore, null, 2)),
  });
  await page.getByLabel('Its password').fill(password);
}

const storedKeystores = async (page: Page): Promise<unknown> =>
  JSON.parse((await page.evaluate(() => localStorage.getItem('blockyard.keystores'))) ?? 'null');

/** Pays `coins` from the node's own wallet to `address` (the tutorial route), unmined. */
async function fund(node: BlockyardNode, address: string, coins: number): Promise<void> {
  const answer = await postJson(`${node.url}/transactions/new`, {
    sender: node.nodeKey.address,
    recipient: address,
    amount: coins,
  });
  expect(answer.status).toBe(201);
}

/** Every way a secret could be in a request: its text, URL-encoded, any 3-word run of words. */
function leaks(requests: readonly RecordedRequest[], secrets: readonly string[], mnemonic: string) {
  const words = mnemonic.split(' ');
  const needles = [...secrets, mnemonic];
  for (let i = 0; i + 3 <= words.length; i++) {
    const run = words.slice(i, i + 3);
    for (const separator of [' ', '+', '%20', ',', '","', '']) needles.push(run.join(separator));
  }
  const all = needles.flatMap((n) => [n, encodeURIComponent(n), n.toUpperCase()]);
  return requests.flatMap((r) =>
    all.filter((n) => r.url.includes(n) || r.body.includes(n)).map((n) => `${r.url}: ${n}`),
  );
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('the browser wallet', () => {
  it('creates a wallet, is funded, sends to a second wallet and sees both balances change, and no secret leaves the page', async () => {
    const node = await startNode();
    await node.miner.mineOnce(); // the node's own wallet now has coins to fund with
    const alice = await openPage(browser(), walletUrl(node));
    await screenshotBoth(alice.page, 'wallet-empty');
    const aliceWords = await createWallet(alice.page, 'alice', true);
    const aliceAddress = addressOf(aliceWords);

    // Stored: the keystore only, which opens to the words with the password.
    const stored = await alice.page.evaluate(() => ({ ...window.localStorage }));
    expect(Object.keys(stored)).toEqual(['blockyard.keystores']);
    const keystores = JSON.parse(stored['blockyard.keystores']!);
    expect(keystores).toHaveLength(1);
    const opened = await openKeystore(keystores[0], PASSWORD);
    expect(opened).toEqual({ ok: true, value: aliceWords });

    const bob = await openPage(browser(), walletUrl(node));
    const bobWords = await createWallet(bob.page, 'bob');
    const bobAddress = addressOf(bobWords);

    await fund(node, aliceAddress, 10);
    await expect
      .poll(() => account(alice.page).getByTestId('pending-in').textContent())
      .toBe('+10 (1 transfer)');
    await node.miner.mineOnce();
    await expect.poll(() => balanceOf(alice.page)).toBe('10');

    const { page } = alice;
    await page.getByLabel('Recipient address').fill(bobAddress);
    await page.getByText('✓ checksum OK').waitFor();
    await page.getByLabel('Amount (coins)').fill('2.5');
    expect(await page.getByLabel('Fee (coins)').inputValue()).toBe('0.0001');
    expect(await page.getByTestId('nonce').textContent()).toMatch(/^0 /);
    await page.getByRole('button', { name: 'Send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm the transfer' });
    const fields = await dialog.getByTestId('confirm-fields').textContent();
    for (const value of [aliceAddress, bobAddress, '2.5 coins', '0.0001 coins', '2.5001 coins']) {
      expect(fields).toContain(value);
    }
    expect(fields).toContain(`${easyParams.chainId}`);
    await screenshotBoth(page, 'wallet-confirm');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('sent-status').textContent()).toBe('pending');
    await expect
      .poll(() => account(page).getByTestId('pending-out').textContent())
      .toBe('−2.5001 (1 transfer)');
    await expect
      .poll(() => account(bob.page).getByTestId('pending-in').textContent())
      .toBe('+2.5 (1 transfer)');
    // One set of numbers (issue 15, point 6): the card and the form say the same "can spend now".
    expect(await balanceOf(page)).toBe('10');
    expect(await account(page).getByTestId('spendable').textContent()).toBe('7.4999');
    expect(await page.getByTestId('send-spendable').textContent()).toBe(
      'Can spend now: 7.4999 coins',
    );
    await expect.poll(() => page.getByTestId('nonce').textContent()).toMatch(/^1 /);
    await screenshotBoth(page, 'wallet-sent-pending');

    await node.miner.mineOnce();
    await expect.poll(() => page.getByTestId('sent-status').textContent()).toBe('confirmed');
    await expect.poll(() => balanceOf(page)).toBe('7.4999');
    await expect.poll(() => balanceOf(bob.page)).toBe('2.5');
    const id = await page.getByTestId('sent').getByRole('link').first().textContent();
    expect((await get(`${node.url}/api/tx/${id}`)).body).toMatchObject({
      status: 'confirmed',
      transaction: { from: aliceAddress, to: bobAddress, amount: '250000000' },
    });
    await screenshotBoth(page, 'wallet-unlocked');
    await screenshotBoth(bob.page, 'wallet-received');

    for (const [who, words] of [
      [alice, aliceWords],
      [bob, bobWords],
    ] as const) {
      const secretKey = toHex(accountsOf(words)(0).secretKey);
      expect(who.requests.length).toBeGreaterThan(5);
      expect(leaks(who.requests, [secretKey, PASSWORD], words)).toEqual([]);
      expect(who.problems).toEqual([]);
    }
  }, 90_000);

  it('downloads a keystore file that src/wallet and the CLI open', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), walletUrl(node));
    const words = await createWallet(page, 'carol');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download keystore' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('carol.keystore.json');
    const text = readFileSync(await download.path(), 'utf8');
    const keystore = parseKeystore(JSON.parse(text));
    expect(keystore.ok).toBe(true);
    if (!keystore.ok) return;
    expect(text).toBe(`${JSON.stringify(keystore.value, null, 2)}\n`);
    expect(await openKeystore(keystore.value, PASSWORD)).toEqual({ ok: true, value: words });

    // The CLI, run from source, imports the browser's file with the same password.
    const home = mkdtempSync(join(tmpdir(), 'blockyard-wallet-e2e-'));
    tempDirs.push(home);
    const file = join(home, 'carol.keystore.json');
    writeFileSync(file, text);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        ...['--import', 'tsx', cliEntry, 'wallet', 'import'],
        ...['--keystore', file, '--node', node.url, '--json'],
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, BLOCKYARD_PASSWORD: PASSWORD, BLOCKYARD_HOME: home },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ wallet: 'carol', address: addressOf(words) });
    expect(problems).toEqual([]);
  }, 60_000);

  it('imports a keystore file the CLI made', async () => {
    // Made by `blockyard wallet new` (its `made_by` says how).
    const fixture = JSON.parse(readFileSync(cliFixture, 'utf8'));
    const expected = fixture.address_tutorial;
    expect(addressOf(fixture.mnemonic)).toBe(expected);
    const node = await startNode();
    const { page, problems } = await openPage(browser(), walletUrl(node));
    await importKeystore(page, fixture.keystore, fixture.password);
    await screenshotBoth(page, 'wallet-import');
    await page.getByRole('button', { name: 'Import the file' }).click();
    await expect
      .poll(() => account(page).getByTestId('address').textContent(), { timeout: 15_000 })
      .toBe(expected);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
      fixture.keystore.name,
    );
    // Kept exactly as the CLI wrote it.
    expect(await storedKeystores(page)).toEqual([fixture.keystore]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows a wrong password, a mistyped recipient, too large an amount and an unreachable node by their meanings', async () => {
    const node = await startNode();
    await node.miner.mineOnce();
    const mnemonic = 'abandon '.repeat(11).concat('about');
    const keystore = await sealKeystore({
      name: 'dave',
      mnemonic,
      password: PASSWORD,
      createdAt: new Date(),
      random: randomBytes,
    });
    const address = addressOf(mnemonic);
    await fund(node, address, 3);
    await node.miner.mineOnce();

    const { page, problems } = await openPage(browser(), walletUrl(node));
    await importKeystore(page, keystore, PASSWORD);
    await page.getByRole('button', { name: 'Import the file' }).click();
    await expect.poll(() => balanceOf(page), { timeout: 15_000 }).toBe('3');
    await page.getByRole('button', { name: 'Lock' }).click();
    await screenshotBoth(page, 'wallet-locked');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(meaning('WALLET_BAD_PASSWORD')).waitFor();
    await screenshotBoth(page, 'wallet-bad-password');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => balanceOf(page), { timeout: 15_000 }).toBe('3');

    // A second address, derived here and remembered in the stored keystore's `accounts`.
    await page.getByRole('button', { name: 'Add address' }).click();
    const other = addressOf(mnemonic, 1);
    await expect.poll(() => account(page, 1).getByTestId('address').textContent()).toBe(other);
    await expect.poll(() => storedKeystores(page)).toEqual([{ ...keystore, accounts: 2 }]);

    // One character changed: the checksum catches it, and Send stays disabled.
    const last = other.at(-1) === 'q' ? 'p' : 'q';
    await page.getByLabel('Recipient address').fill(`${other.slice(0, -1)}${last}`);
    await page.getByLabel('Amount (coins)').fill('1');
    await page.getByText(meaning('ADDRESS_BAD_CHECKSUM')).waitFor();
    const send = page.getByRole('button', { name: 'Send…' });
    expect(await send.isDisabled()).toBe(true);
    await screenshotBoth(page, 'wallet-bad-recipient');

    // More than it can spend: refused before anything is signed.
    await page.getByLabel('Recipient address').fill(other);
    await page.getByText('✓ checksum OK').waitFor();
    await page.getByLabel('Amount (coins)').fill('5');
    await send.click();
    await page.getByText(meaning('TX_INSUFFICIENT_FUNDS')).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);

    // The dialog takes the focus, and Escape closes it.
    await page.getByLabel('Amount (coins)').fill('1');
    await send.click();
    const dialog = page.getByRole('dialog', { name: 'Confirm the transfer' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    const closed = await closedPortUrl();
    await page.getByLabel('Node URL').fill(closed);
    await send.click();
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText(meaning('CLIENT_UNREACHABLE')).waitFor();
    await screenshotBoth(page, 'wallet-unreachable');
    expect(await page.getByTestId('sent').count()).toBe(0);

    // Locked, then removed from this browser after a confirmation.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('button', { name: 'Remove…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText('No wallet in this browser for').waitFor();
    expect(await storedKeystores(page)).toEqual([]);
    // The refused connection is the one failure this test asked for.
    expect(
      problems.filter((p) => !p.includes(closed) && !p.includes('ERR_CONNECTION_REFUSED')),
    ).toEqual([]);
  }, 90_000);

  it('says where a wallet lives, offers to import one, and gets coins from the node (issue 15, point 6)', async () => {
    const node = await startNode();
    const { page, problems } = await openPage(browser(), walletUrl(node));
    await page.getByTestId('no-wallet').waitFor();
    expect(await page.getByTestId('wallet-home').textContent()).toContain(
      `in this browser, for this page's address (${node.url})`,
    );
    expect(await page.getByTestId('no-wallet').textContent()).toContain(
      `No wallet in this browser for ${node.url} yet.`,
    );
    await screenshotsThatFit(page, 'wallet-none-here');
    await page.getByRole('button', { name: 'Import its keystore file' }).click();
    await page.getByLabel('Keystore file (.json)').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    const words = await createWallet(page, 'carol');
    const address = addressOf(words);
    // No faucet, and a node with no coins yet: the refusal says what to do.
    const getCoins = page.getByRole('button', { name: "Get 10 coins from this node's wallet" });
    await getCoins.click();
    await page
      .getByText('The node has no coins to give yet: mine a block on the Mine page first.')
      .waitFor();
    await screenshotsThatFit(page, 'wallet-get-coins-refused');
    await node.miner.mineOnce();
    await getCoins.click();
    await page
      .getByText(/10 coins from the node's wallet\. They count once the next block is mined\./)
      .waitFor();
    await expect
      .poll(() => account(page).getByTestId('pending-in').textContent())
      .toBe('+10 (1 transfer)');
    expect(await account(page).getByTestId('spendable').textContent()).toBe('0');
    await node.miner.mineOnce();
    await expect.poll(() => balanceOf(page)).toBe('10');
    expect(await account(page).getByTestId('pending-in').textContent()).toBe('0');
    expect(await account(page).getByTestId('spendable').textContent()).toBe('10');
    expect(await page.getByTestId('get-coins').count()).toBe(0);
    await screenshotsThatFit(page, 'wallet-funded');
    const key = toHex(accountsOf(words)(0).publicKey);
    expect(node.chain.state.getAccount(key)?.balance).toBe(10n * 10n ** 8n);
    expect(address).toMatch(/^tut1/);
    // The 422 of the refused first ask is the one failure this test asked for.
    expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
  }, 90_000);
});
