/**
 * The controls a demo needs on `blockyard node` (issue 15, point 7): `--reset` starts the
 * network over after saying what it deletes, and `--dev-accounts N` funds the first N accounts
 * of a mnemonic from the node's coins and prints them, as Foundry's anvil does.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { formatCoins, parseCoins } from '../core/index.js';
import type { BlockyardNode } from '../node/createNode.js';
import { chainFilesIn } from '../node/resetChain.js';

/** The most dev accounts --dev-accounts funds. */
export const MAX_DEV_ACCOUNTS = 100;

export const demoUsage = `      --reset               start this network over: delete its chain (blocks, balances, peers,
                            pending transfers) in the data directory; the node key stays.
                            Asks first on a terminal; --yes answers for a script
      --yes                 with --reset: do not ask
      --dev-accounts <n>    fund the first n accounts (1 to ${MAX_DEV_ACCOUNTS}) of a dev mnemonic from the node's
                            coins at start, mining what it needs, and print them (as anvil does)
      --dev-balance <coins> what each dev account gets (default 100)
      --dev-mnemonic <w>    the dev accounts' recovery words (default: new ones, kept in the data
                            directory so a restart funds the same accounts)
`;

export const demoOptions = {
  reset: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  'dev-accounts': { type: 'string' },
  'dev-balance': { type: 'string', default: '100' },
  'dev-mnemonic': { type: 'string' },
} as const;

export interface DemoValues {
  readonly reset: boolean;
  readonly yes: boolean;
  readonly 'dev-accounts'?: string | undefined;
  readonly 'dev-balance': string;
  readonly 'dev-mnemonic'?: string | undefined;
}

export interface DemoPlan {
  readonly reset: boolean;
  readonly devAccounts: number;
  readonly devBalanceUnits: bigint;
}

/** The flags checked; a problem is a sentence for the usage error. */
export function demoPlan(values: DemoValues): DemoPlan | { problem: string } {
  const text = values['dev-accounts'];
  const devAccounts = text === undefined ? 0 : /^[0-9]{1,3}$/.test(text) ? Number(text) : -1;
  if (text !== undefined && !(devAccounts >= 1 && devAccounts <= MAX_DEV_ACCOUNTS)) {
    return {
      problem: `--dev-accounts must be a number from 1 to ${MAX_DEV_ACCOUNTS}, not "${text}"`,
    };
  }
  const devBalanceUnits = parseCoins(values['dev-balance']);
  if (!devBalanceUnits || devBalanceUnits <= 0n) {
    return {
      problem: `--dev-balance must be a number of coins above 0 like 100 or 0.5, not "${values['dev-balance']}"`,
    };
  }
  if (values.yes && !values.reset) return { problem: '--yes goes with --reset' };
  if (values['dev-mnemonic'] !== undefined && devAccounts === 0) {
    return { problem: '--dev-mnemonic goes with --dev-accounts' };
  }
  return { reset: values.reset, devAccounts, devBalanceUnits };
}

/**
 * Says what --reset deletes and, on a terminal, asks; true to go on. Without a terminal, --yes
 * is the answer (a script cannot be asked, and must not delete a chain by accident).
 */
export async function confirmReset(
  dataDir: string,
  network: string,
  yes: boolean,
  write: (text: string) => void,
): Promise<boolean> {
  const path = join(dataDir, network);
  const files = chainFilesIn(path);
  if (files.length === 0) {
    write(`--reset: no ${network} chain in ${path} yet; starting a new one.\n`);
    return true;
  }
  const size = files.reduce((sum, f) => sum + f.bytes, 0);
  write(
    [
      `--reset deletes the ${network} network's chain in ${path}:`,
      ...files.map((f) => `  ${f.name}  (${megabytes(f.bytes)})`),
      `  ${megabytes(size)} in all: every block, balance, known peer and pending transfer of this node.`,
      '  Kept: node-key.json (the node keeps its address), api-token, the other networks.',
      '',
    ].join('\n'),
  );
  if (yes) return true;
  if (!process.stdin.isTTY) {
    write('Nothing deleted: add --yes to reset without a terminal to ask.\n');
    return false;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Delete it and start the ${network} network over? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

const megabytes = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Funds the dev accounts and returns the lines the start banner prints; throws a sentence. */
export async function devAccountLines(
  node: BlockyardNode,
  plan: DemoPlan,
  givenMnemonic: string | undefined,
): Promise<string[]> {
  if (plan.devAccounts === 0) return [];
  // PERF: loaded only for --dev-accounts: it brings the whole wallet (bip39 and its word list,
  // scrypt, AES), ≈ 0.7 MB of source an ordinary node kept in its heap.
  const { devMnemonic, fundDevAccounts } = await import('../node/devAccounts.js');
  const mnemonic = devMnemonic(node.dataPath, givenMnemonic);
  if (!mnemonic.ok) throw new Error(`--dev-mnemonic: ${mnemonic.detail}`);
  const funded = await fundDevAccounts(
    node,
    mnemonic.value,
    plan.devAccounts,
    plan.devBalanceUnits,
  );
  if (!funded.ok) throw new Error(`--dev-accounts: ${funded.code} ${funded.detail}`);
  return [
    '',
    `  dev accounts  the first ${plan.devAccounts} of this mnemonic, funded from the node's coins:`,
    `                ${mnemonic.value}`,
    ...funded.value.map(
      (a) =>
        `    (${a.index}) ${a.address}  ${formatCoins(a.balanceUnits)} coins${a.fundedBy ? '' : ' (already funded)'}`,
    ),
    '                (development keys: anyone who reads these words can spend them.',
    '                 Use them: blockyard wallet import, or the Wallet page\'s "Import")',
  ];
}
