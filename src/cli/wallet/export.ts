/**
 * `blockyard wallet export`: the keystore file as it is (encrypted; it opens in the browser
 * wallet and in `import` on another machine), or with --mnemonic the recovery words themselves,
 * after the password and under a warning.
 */
import { parseArgs } from 'node:util';
import { usageError } from '../io.js';
import { commonOptions, createWalletContext, type WalletIo } from './context.js';
import { keystoreText, writeNewFile } from './walletFiles.js';

export const exportUsage = `usage: blockyard wallet export [--out FILE | --mnemonic] [options]

Prints the wallet's keystore: the encrypted file, which the browser wallet and
\`blockyard wallet import --keystore\` open with the wallet's password.

      --out <file>          write it to this file (made 0600; an existing file is kept)
      --mnemonic            show the recovery words instead (asks for the password)
`;

const WORDS_WARNING =
  'These words are the wallet: anyone who sees them can spend its coins. Keep them offline.';

export async function runExport(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...commonOptions,
      out: { type: 'string' },
      mnemonic: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const ctx = createWalletContext(io, values);
  if (values.mnemonic && values.out !== undefined) {
    throw usageError('--out writes the keystore; the recovery words are only ever shown');
  }
  const wallet = ctx.wallet();
  if (values.mnemonic) {
    const mnemonic = await ctx.unlock(wallet.keystore);
    if (!ctx.term.json) ctx.term.note(`WARNING: ${WORDS_WARNING}`);
    ctx.term.result({ wallet: wallet.name, mnemonic, warning: WORDS_WARNING }, () => mnemonic);
    return;
  }
  if (values.out !== undefined) {
    writeNewFile(values.out, keystoreText(wallet.keystore), 'CLI_FILE');
    ctx.term.result(
      { wallet: wallet.name, file: values.out },
      () => `Wrote the keystore of "${wallet.name}" to ${values.out}`,
    );
    return;
  }
  ctx.term.result({ wallet: wallet.name, keystore: wallet.keystore }, () =>
    keystoreText(wallet.keystore),
  );
}
