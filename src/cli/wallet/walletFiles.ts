/**
 * Wallets on disk: one keystore file per wallet, `<dir>/<name>.json`, in the format the browser
 * wallet downloads (src/wallet/keystore.ts). The folder is `--wallet-dir`, else
 * `$BLOCKYARD_HOME/wallets`, else `~/.blockyard/wallets`.
 *
 * SECURITY: the folder is made 0700 and each file 0600: the file is encrypted, but a copy is all
 * an attacker needs to try passwords offline. A new file is written beside its final name and
 * then hard-linked into place, so it appears whole or not at all and never replaces a wallet.
 */
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { type Keystore, parseKeystore } from '../../wallet/index.js';
import { CliError, usageError } from '../io.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function walletDirOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined) return flag;
  const home = env.BLOCKYARD_HOME || join(homedir(), '.blockyard');
  return join(home, 'wallets');
}

export const isWalletName = (name: string) => NAME.test(name) && !name.endsWith('.json');

export function checkWalletName(name: string): string {
  if (!isWalletName(name)) {
    throw usageError(
      `"${name}" cannot be a wallet name: use up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return name;
}

export const walletPath = (dir: string, name: string) => join(dir, `${name}.json`);

/** A keystore file, checked field by field. */
export function readKeystoreFile(path: string): Keystore {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError('WALLET_NOT_FOUND', `there is no file ${path}`);
    }
    throw new CliError('CLI_FILE', `cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError('WALLET_BAD_KEYSTORE', `${path} is not JSON`);
  }
  const keystore = parseKeystore(json);
  if (!keystore.ok) throw new CliError(keystore.code, `${path}: ${keystore.detail}`);
  return keystore.value;
}

export interface WalletListing {
  readonly name: string;
  readonly file: string;
  readonly keystore?: Keystore;
  /** Why the file is not a wallet, when it is not. */
  readonly problem?: string;
}

/** Every `*.json` in the folder, sorted by name; a missing folder has none. */
export function listWallets(dir: string): WalletListing[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CliError('CLI_FILE', `cannot list ${dir}: ${(error as Error).message}`);
  }
  return names.sort().map((f) => {
    const file = join(dir, f);
    const name = basename(f, '.json');
    try {
      return { name, file, keystore: readKeystoreFile(file) };
    } catch (error) {
      return { name, file, problem: (error as Error).message };
    }
  });
}

/** Writes a new file that must not exist yet, atomically, mode 0600. */
export function writeNewFile(
  path: string,
  text: string,
  exists: 'WALLET_EXISTS' | 'CLI_FILE' = 'WALLET_EXISTS',
): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliError(exists, `${path} exists already; it was kept`);
    throw new CliError('CLI_FILE', `cannot write ${path}: ${(error as Error).message}`);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Replaces an existing keystore file atomically (a rename), keeping it 0600. */
export function replaceKeystoreFile(path: string, keystore: Keystore): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, keystoreText(keystore), { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
    chmodSync(path, 0o600);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new CliError('CLI_FILE', `cannot write ${path}: ${(error as Error).message}`);
  }
}

export const keystoreText = (keystore: Keystore) => `${JSON.stringify(keystore, null, 2)}\n`;

/** Saves a keystore as wallet `name` in `dir`; WALLET_EXISTS if that name is taken. */
export function saveNewWallet(dir: string, name: string, keystore: Keystore): string {
  const path = walletPath(dir, name);
  writeNewFile(path, keystoreText(keystore));
  return path;
}

/** The wallet a command works on: --keystore FILE, --wallet NAME, or the only (or "default") one. */
export function findWallet(
  dir: string,
  options: { wallet?: string | undefined; keystore?: string | undefined },
): { name: string; file: string; keystore: Keystore } {
  if (options.keystore !== undefined) {
    if (options.wallet !== undefined) throw usageError('give --wallet or --keystore, not both');
    const keystore = readKeystoreFile(options.keystore);
    return { name: keystore.name, file: options.keystore, keystore };
  }
  if (options.wallet !== undefined) {
    const name = checkWalletName(options.wallet);
    const file = walletPath(dir, name);
    try {
      return { name, file, keystore: readKeystoreFile(file) };
    } catch (error) {
      if (error instanceof CliError && error.code === 'WALLET_NOT_FOUND') {
        const known = listWallets(dir).map((w) => w.name);
        throw new CliError(
          'WALLET_NOT_FOUND',
          `no wallet "${name}" in ${dir}${known.length ? `; there are: ${known.join(', ')}` : ''}`,
        );
      }
      throw error;
    }
  }
  const wallets = listWallets(dir).filter((w) => w.keystore);
  const only = wallets.length === 1 ? wallets[0] : wallets.find((w) => w.name === 'default');
  if (only?.keystore) return { name: only.name, file: only.file, keystore: only.keystore };
  if (wallets.length === 0) {
    throw new CliError(
      'WALLET_NOT_FOUND',
      `no wallets in ${dir}: make one with \`blockyard wallet new\`, or import one`,
    );
  }
  throw usageError(
    `there are ${wallets.length} wallets (${wallets.map((w) => w.name).join(', ')}): choose one with --wallet NAME`,
  );
}
