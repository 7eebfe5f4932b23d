/**
 * One keystore format both ways: a file `blockyard wallet` writes opens with src/wallet (the
 * code the browser wallet runs), and a file src/wallet seals as the browser does opens in the
 * command. test/fixtures/keystore-cli.json was made by the real command (its `made_by` says
 * how); the dashboard's browser test imports it too (test/e2e/wallet.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountAddress,
  accountsOf,
  openKeystore,
  parseKeystore,
  randomBytes,
  sealKeystore,
} from '../../../src/wallet/index.js';
import { cliHome, PASSWORD, runCli } from './runCli.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/keystore-cli.json', import.meta.url), 'utf8'),
) as {
  password: string;
  mnemonic: string;
  address_tutorial: string;
  keystore: unknown;
};

const home = cliHome();
afterAll(() => home.remove());

const tutorialAddress = (mnemonic: string, index = 0) =>
  accountAddress(accountsOf(mnemonic)(index), 'tut');

describe('keystore files between the command and the browser wallet', { timeout: 120_000 }, () => {
  it('the checked-in keystore made by the CLI opens with src/wallet, to its words and address', async () => {
    const keystore = parseKeystore(fixture.keystore);
    expect(keystore.ok).toBe(true);
    if (!keystore.ok) return;
    expect(keystore.value).toEqual(fixture.keystore);
    expect(await openKeystore(keystore.value, fixture.password)).toEqual({
      ok: true,
      value: fixture.mnemonic,
    });
    expect(tutorialAddress(fixture.mnemonic)).toBe(fixture.address_tutorial);
    expect((await openKeystore(keystore.value, 'not the password')).ok).toBe(false);

    // And the command itself still opens it, offline.
    const file = join(home.home, 'fixture.json');
    writeFileSync(file, JSON.stringify(fixture.keystore));
    const run = await runCli(
      ['wallet', 'address', '--keystore', file, '--network', 'tutorial', '--json'],
      { env: { ...home.env, BLOCKYARD_PASSWORD: fixture.password } },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.address).toBe(fixture.address_tutorial);
  });

  it('a keystore the CLI writes now is the file the browser downloads, and opens there', async () => {
    const made = await runCli(
      ['wallet', 'new', '--wallet', 'fresh', '--network', 'tutorial', '--json'],
      { env: home.env },
    );
    expect(made.code, made.stderr).toBe(0);
    const text = readFileSync(made.json.file, 'utf8');
    const keystore = parseKeystore(JSON.parse(text));
    expect(keystore.ok).toBe(true);
    if (!keystore.ok) return;
    // Byte for byte the browser's download format: the checked keystore, 2-space JSON, a newline.
    expect(text).toBe(`${JSON.stringify(keystore.value, null, 2)}\n`);
    expect(await openKeystore(keystore.value, PASSWORD)).toEqual({
      ok: true,
      value: made.json.mnemonic,
    });
    expect(tutorialAddress(made.json.mnemonic)).toBe(made.json.address);
  });

  it('a keystore src/wallet seals, as the browser does, opens in the CLI', async () => {
    const mnemonic = 'abandon '.repeat(11).concat('about');
    const keystore = await sealKeystore({
      name: 'from-browser',
      mnemonic,
      password: PASSWORD,
      createdAt: new Date(),
      random: randomBytes,
      accounts: 2,
    });
    const file = join(home.home, 'from-browser.keystore.json');
    writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`);

    const imported = await runCli(
      ['wallet', 'import', '--keystore', file, '--network', 'tutorial', '--json'],
      { env: home.env },
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json).toMatchObject({
      wallet: 'from-browser',
      accounts: 2,
      address: tutorialAddress(mnemonic),
    });
    // Imported as it was: the same encrypted file under the wallet folder.
    const saved = JSON.parse(readFileSync(imported.json.file, 'utf8'));
    expect(saved).toEqual(keystore);

    const second = await runCli(
      ['wallet', 'address', '--wallet', 'from-browser', '--index', '1', '--network', 'tutorial'],
      { env: home.env },
    );
    expect(second.stdout).toBe(`${tutorialAddress(mnemonic, 1)}\n`);
    const wrong = await runCli(
      ['wallet', 'import', '--keystore', file, '--wallet', 'again', '--json'],
      { env: { ...home.env, BLOCKYARD_PASSWORD: 'not the password' } },
    );
    expect(wrong.code).toBe(4);
    expect(wrong.json.error.code).toBe('WALLET_BAD_PASSWORD');
  });

  it('a file that is not a keystore is refused with WALLET_BAD_KEYSTORE', async () => {
    const file = join(home.home, 'not-a-keystore.json');
    writeFileSync(
      file,
      JSON.stringify({ ...(fixture.keystore as object), kdf: { name: 'pbkdf2' } }),
    );
    const run = await runCli(['wallet', 'import', '--keystore', file, '--json'], {
      env: home.env,
    });
    expect(run.code).toBe(4);
    expect(run.json.error.code).toBe('WALLET_BAD_KEYSTORE');
  });
});
