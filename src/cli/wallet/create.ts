/**
 * `blockyard wallet new` and `blockyard wallet import`: a wallet's keystore file comes either from
 * fresh randomness (new), from recovery words, or from a keystore file the browser wallet (or
 * another machine) saved.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  accountAddress,
  accountsOf,
  type Keystore,
  mnemonicFromEntropy,
  parseMnemonic,
  randomBytes,
  sealKeystore,
} from '../../wallet/index.js';
import { CliError, fromFailure, usageError } from '../io.js';
import {
  commonOptions,
  createWalletContext,
  type WalletContext,
  type WalletIo,
  type WalletNet,
} from './context.js';
import {
  checkWalletName,
  isWalletName,
  keystoreText,
  readKeystoreFile,
  walletPath,
  writeNewFile,
} from './walletFiles.js';

const MNEMONIC_WARNING = [
  'Write these words down, in order, and keep them offline. They are shown this once.',
  'Anyone who sees them can spend this wallet’s coins; with them you can restore it',
  '(`blockyard wallet import`) if the file or the password is lost. Without them, you cannot.',
].join('\n');

/** Where a new wallet goes: --keystore FILE, or <dir>/<--wallet NAME or "default">.json. */
function target(ctx: WalletContext, values: { wallet?: string; keystore?: string }) {
  const name = checkWalletName(values.wallet ?? 'default');
  const file = values.keystore ?? walletPath(ctx.dir, name);
  if (existsSync(file)) {
    throw new CliError(
      'WALLET_EXISTS',
      `${file} exists already: choose another name with --wallet NAME`,
    );
  }
  return { name, file };
}

const seal = (name: string, mnemonic: string, password: string) =>
  sealKeystore({ name, mnemonic, password, createdAt: new Date(), random: randomBytes });

async function firstAddress(ctx: WalletContext, mnemonic: string) {
  const network = await ctx.network({ bestEffort: true });
  const account = accountsOf(mnemonic)(0);
  return {
    network,
    path: account.path,
    address: network ? accountAddress(account, network.addressPrefix) : null,
  };
}

function addressLine(
  first: { network: WalletNet | undefined; address: string | null },
  ctx: WalletContext,
) {
  return first.network
    ? `Address 0 on the ${first.network.name} network: ${first.address}`
    : `The node at ${ctx.nodeUrl} did not answer, so the network (and the address) is unknown:\nsee it with \`blockyard wallet address\` once a node runs, or add --network tutorial|devnet.`;
}

/** The words in numbered columns, four to a row. */
function wordGrid(mnemonic: string): string {
  const cells = mnemonic.split(' ').map((w, i) => `${String(i + 1).padStart(2)} ${w.padEnd(9)}`);
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 4) {
    rows.push(`   ${cells.slice(i, i + 4).join('  ')}`.trimEnd());
  }
  return rows.join('\n');
}

export const newUsage = `usage: blockyard wallet new [--wallet NAME | --keystore FILE] [options]

Makes a wallet: 12 recovery words from fresh randomness, saved encrypted under a password as a
keystore file (the format the browser wallet downloads). The words are shown once.

      --wallet <name>       its name (default "default"): saved as <wallet dir>/<name>.json
      --keystore <file>     save the keystore to this file instead
`;

export async function runNew(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: commonOptions, strict: true });
  const ctx = createWalletContext(io, values);
  const { name, file } = target(ctx, values);
  const password = await ctx.newPassword(name);
  const mnemonic = mnemonicFromEntropy(randomBytes(16));
  const keystore = await seal(name, mnemonic, password);
  writeNewFile(file, keystoreText(keystore));
  const first = await firstAddress(ctx, mnemonic);
  ctx.term.result(
    {
      wallet: name,
      file,
      mnemonic,
      warning: MNEMONIC_WARNING.replaceAll('\n', ' '),
      network: first.network?.name ?? null,
      path: first.path,
      address: first.address,
    },
    () =>
      [
        `Made wallet "${name}": ${file} (encrypted with your password)`,
        '',
        'Recovery words:',
        '',
        wordGrid(mnemonic),
        '',
        MNEMONIC_WARNING,
        '',
        addressLine(first, ctx),
      ].join('\n'),
  );
}

export const importUsage = `usage: blockyard wallet import [--mnemonic "WORDS" | --keystore FILE] [--wallet NAME] [options]

Adds a wallet from its recovery words or from a keystore file (one the browser wallet saved, or
\`blockyard wallet export\` wrote). Without --mnemonic or --keystore the words are asked for, with
the echo off (or read as a line of stdin); prefer that to --mnemonic, which shells keep in their
history.

      --mnemonic "<words>"  the 12 to 24 recovery words
      --keystore <file>     a keystore file: its password is asked to check that it opens
      --wallet <name>       the name to save it under (default: the keystore's own, or "default")
`;

export async function runImport(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...commonOptions, mnemonic: { type: 'string' } },
    strict: true,
  });
  const ctx = createWalletContext(io, values);
  if (values.mnemonic !== undefined && values.keystore !== undefined) {
    throw usageError('give --mnemonic or --keystore, not both');
  }
  let keystore: Keystore;
  let mnemonic: string;
  let name: string;
  let file: string;
  if (values.keystore !== undefined) {
    const source = readKeystoreFile(values.keystore);
    if (values.wallet === undefined && !isWalletName(source.name)) {
      throw usageError(
        `the keystore is named "${source.name}", which cannot be a file name: give one with --wallet NAME`,
      );
    }
    ({ name, file } = target(ctx, { wallet: values.wallet ?? source.name }));
    mnemonic = await ctx.unlock(source);
    // The name is a label outside the encryption; the rest stays exactly as it was.
    keystore = { ...source, name };
  } else {
    ({ name, file } = target(ctx, values.wallet === undefined ? {} : { wallet: values.wallet }));
    const words =
      values.mnemonic ?? (await io.prompter.secret('Recovery words, separated by spaces: '));
    if (words === undefined) {
      throw new CliError(
        'WALLET_BAD_MNEMONIC',
        'no words given: use --mnemonic "WORDS", type them at the prompt, or pipe them in as a line',
      );
    }
    const parsed = parseMnemonic(words);
    if (!parsed.ok) throw fromFailure(parsed);
    mnemonic = parsed.value;
    const password = await ctx.newPassword(name);
    keystore = await seal(name, mnemonic, password);
  }
  writeNewFile(file, keystoreText(keystore));
  const first = await firstAddress(ctx, mnemonic);
  ctx.term.result(
    {
      wallet: name,
      file,
      accounts: keystore.accounts,
      network: first.network?.name ?? null,
      path: first.path,
      address: first.address,
    },
    () => [`Imported wallet "${name}": ${file}`, addressLine(first, ctx)].join('\n'),
  );
}
