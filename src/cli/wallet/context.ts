/**
 * What every `blockyard wallet` command starts from: the flags they share, the wallet folder,
 * the node and its network, and the password (from BLOCKYARD_PASSWORD, a prompt with the echo
 * off, or a line of stdin).
 */
import { type Client, createClient, type NodeInfo } from '../../api/client.js';
import { type NetworkName, networks } from '../../core/index.js';
import { checkPassword, type Keystore, openKeystore } from '../../wallet/index.js';
import { CliError, fromFailure, type Terminal, usageError } from '../io.js';
import type { Prompter } from '../prompt.js';
import { findWallet, walletDirOf } from './walletFiles.js';

export const DEFAULT_NODE_URL = 'http://127.0.0.1:5000';

/** The flags every wallet command takes. */
export const commonOptions = {
  node: { type: 'string' },
  wallet: { type: 'string' },
  keystore: { type: 'string' },
  'wallet-dir': { type: 'string' },
  network: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export type CommonValues = {
  node?: string | undefined;
  wallet?: string | undefined;
  keystore?: string | undefined;
  'wallet-dir'?: string | undefined;
  network?: string | undefined;
};

/** The network a wallet works on: where its addresses and signatures belong. */
export interface WalletNet {
  readonly name: string;
  readonly chainId: number;
  readonly addressPrefix: string;
}

export interface WalletContext {
  readonly term: Terminal;
  readonly dir: string;
  readonly nodeUrl: string;
  readonly client: Client;
  /** The node's /api/info (asked once), checked against --network if given. */
  nodeInfo(): Promise<NodeInfo>;
  /**
   * The network: --network's if given, else the node's. `bestEffort` gives undefined instead of
   * failing when the node does not answer (a new wallet does not need a node).
   */
  network(options?: { bestEffort?: boolean }): Promise<WalletNet | undefined>;
  /** The network, from the node (always; --network only has to agree). */
  nodeNetwork(): Promise<WalletNet>;
  wallet(): { name: string; file: string; keystore: Keystore };
  /** The mnemonic inside `keystore`, once the password opens it. */
  unlock(keystore: Keystore): Promise<string>;
  /** A new password, typed twice on a terminal, at least 8 characters. */
  newPassword(name: string): Promise<string>;
}

export function nodeUrlOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const text = flag ?? (env.BLOCKYARD_NODE || DEFAULT_NODE_URL);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw usageError(`--node "${text}" is not a URL such as ${DEFAULT_NODE_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--node "${text}" must be an http:// or https:// URL`);
  }
  return url.href.replace(/\/+$/, '');
}

function namedNetwork(name: string): WalletNet {
  if (!Object.hasOwn(networks, name)) {
    throw usageError(`--network must be tutorial or devnet, not "${name}"`);
  }
  const params = networks[name as NetworkName];
  return { name: params.name, chainId: params.chainId, addressPrefix: params.addressPrefix };
}

/** Where a command talks to its user: the terminal, and stdin for answers. */
export interface WalletIo {
  readonly term: Terminal;
  readonly prompter: Prompter;
}

export function createWalletContext(io: WalletIo, values: CommonValues): WalletContext {
  const { term, prompter } = io;
  const dir = walletDirOf(values['wallet-dir'], term.env);
  const nodeUrl = nodeUrlOf(values.node, term.env);
  const client = createClient({ baseUrl: nodeUrl });
  const asked = values.network === undefined ? undefined : namedNetwork(values.network);
  let info: Promise<NodeInfo> | undefined;

  const nodeInfo = (): Promise<NodeInfo> => {
    info ??= client.info().then((answer) => {
      if (asked && answer.chain_id !== asked.chainId) {
        throw new CliError(
          'CLI_NETWORK_MISMATCH',
          `the node at ${nodeUrl} is on the ${answer.network} network, not ${asked.name}`,
        );
      }
      return answer;
    });
    return info;
  };
  const fromInfo = (answer: NodeInfo): WalletNet => ({
    name: answer.network,
    chainId: answer.chain_id,
    addressPrefix: answer.address_prefix,
  });

  return {
    term,
    dir,
    nodeUrl,
    client,
    nodeInfo,
    async network(options = {}) {
      if (asked) return asked;
      if (options.bestEffort) {
        const quick = createClient({ baseUrl: nodeUrl, timeoutMs: 3_000 });
        return quick.info().then(fromInfo, () => undefined);
      }
      try {
        return fromInfo(await nodeInfo());
      } catch (error) {
        if (error instanceof CliError || (error as { code?: string }).code !== 'CLIENT_UNREACHABLE')
          throw error;
        throw new CliError(
          'CLIENT_UNREACHABLE',
          `${(error as Error).message}; the address depends on the network: ask a running node with --node URL, or name it with --network tutorial|devnet`,
        );
      }
    },
    async nodeNetwork() {
      return fromInfo(await nodeInfo());
    },
    wallet() {
      return findWallet(dir, values);
    },
    async unlock(keystore) {
      const fromEnv = term.env.BLOCKYARD_PASSWORD;
      if (fromEnv) {
        const opened = await openKeystore(keystore, fromEnv);
        if (!opened.ok) {
          throw new CliError(
            opened.code,
            `${opened.detail}; the password came from BLOCKYARD_PASSWORD`,
          );
        }
        return opened.value;
      }
      const attempts = term.interactive ? 3 : 1;
      for (let attempt = 1; ; attempt++) {
        const password = await prompter.secret(`Password for wallet "${keystore.name}": `);
        if (password === undefined) throw noPassword();
        const opened = await openKeystore(keystore, password);
        if (opened.ok) return opened.value;
        if (attempt >= attempts) throw fromFailure(opened);
        term.note('Wrong password; try again.');
      }
    },
    async newPassword(name) {
      const fromEnv = term.env.BLOCKYARD_PASSWORD;
      if (fromEnv) return strongEnough(fromEnv);
      if (!term.interactive) {
        const line = await prompter.secret('');
        if (line === undefined) throw noPassword();
        return strongEnough(line);
      }
      for (let attempt = 1; ; attempt++) {
        const last = attempt >= 3;
        const password = await prompter.secret(
          `New password for wallet "${name}" (at least 8 characters): `,
        );
        if (password === undefined) throw noPassword();
        const strong = checkPassword(password);
        if (!strong.ok) {
          if (last) throw fromFailure(strong);
          term.note(strong.detail);
          continue;
        }
        const again = await prompter.secret('Type it again: ');
        if (again === password) return password;
        if (last) throw new CliError('CLI_PASSWORD_MISMATCH', 'the passwords typed differ');
        term.note('The two differ; once more.');
      }
    },
  };
}

function strongEnough(password: string): string {
  const strong = checkPassword(password);
  if (!strong.ok) throw fromFailure(strong);
  return password;
}

const noPassword = () =>
  new CliError(
    'CLI_NO_PASSWORD',
    'no password: stdin is not a terminal and gave none; set BLOCKYARD_PASSWORD, or pipe the password in as a line',
  );

/** `--index N`: an account number from 0 to 2^31 - 1. */
export function parseIndex(text: string | undefined): number {
  if (text === undefined) return 0;
  const index = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(index < 2 ** 31))
    throw usageError(`--index must be a number from 0 to 2^31 - 1, not "${text}"`);
  return index;
}
