/**
 * `blockyard wallet <command>`: keys, addresses and signed transfers from a terminal or a script.
 * Keys never leave this process: the node only ever receives signed transfers.
 */
import { EXIT, exitCodesHelp, runWithTerminal, usageError } from '../io.js';
import { createPrompter } from '../prompt.js';
import { DEFAULT_NODE_URL, type WalletIo } from './context.js';
import { importUsage, newUsage, runImport, runNew } from './create.js';
import { exportUsage, runExport } from './export.js';
import { runSend, sendUsage } from './send.js';
import {
  addressUsage,
  balanceUsage,
  historyUsage,
  listUsage,
  runAddress,
  runBalance,
  runHistory,
  runList,
} from './show.js';
import { runVerify, verifyUsage } from './verify.js';

interface WalletCommand {
  readonly usage: string;
  readonly run: (io: WalletIo, argv: readonly string[]) => Promise<void>;
}

const commands: Record<string, WalletCommand> = {
  new: { usage: newUsage, run: runNew },
  import: { usage: importUsage, run: runImport },
  list: { usage: listUsage, run: runList },
  address: { usage: addressUsage, run: runAddress },
  balance: { usage: balanceUsage, run: runBalance },
  history: { usage: historyUsage, run: runHistory },
  send: { usage: sendUsage, run: runSend },
  export: { usage: exportUsage, run: runExport },
  verify: { usage: verifyUsage, run: runVerify },
};

export const commonHelp = `options of every wallet command:
      --wallet <name>       the wallet (default: the only one, or the one named "default")
      --keystore <file>     a keystore file to use instead of a named wallet
      --wallet-dir <dir>    where wallets are kept (default $BLOCKYARD_HOME/wallets, else
                            ~/.blockyard/wallets)
      --node <url>          the node to ask (default $BLOCKYARD_NODE, else ${DEFAULT_NODE_URL})
      --network <name>      tutorial or devnet: addresses without asking a node (when a node
                            is asked, it must be on this network)
      --json                print one JSON object on stdout; errors too, as
                            {"error": {"code": "...", "message": "..."}}
  -h, --help                this text

The password is asked with the echo off; scripts set BLOCKYARD_PASSWORD instead (or pipe it in
as a line of stdin). Amounts are in coins, as typed: 1.5.
`;

export const walletUsage = `usage: blockyard wallet <command> [options]

commands:
  new        make a wallet: recovery words shown once, saved as an encrypted keystore file
  import     add a wallet from its recovery words or a keystore file
  list       the wallets in the wallet folder
  address    an account's address (--index N)
  balance    what each account holds, from the node
  history    an account's transfers, from the node
  send       sign a transfer here and submit it: --to ADDRESS --amount COINS [--wait N]
  export     print the keystore file, or with --mnemonic the recovery words
  verify     check here that a confirmed transaction is in its block (merkle proof, header)

blockyard wallet <command> --help shows a command's options.

${commonHelp}
${exitCodesHelp}`;

export function runWallet(argv: readonly string[]): Promise<number> {
  return runWithTerminal('blockyard wallet', argv, async (term) => {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      process.stdout.write(walletUsage);
      return EXIT.ok;
    }
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command) {
      throw usageError(
        `"${name}" is not a wallet command; they are: ${Object.keys(commands).join(', ')}`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.usage}\n${commonHelp}\n${exitCodesHelp}`);
      return EXIT.ok;
    }
    const prompter = createPrompter();
    try {
      await command.run({ term, prompter }, rest);
    } finally {
      prompter.close();
    }
    return EXIT.ok;
  });
}
