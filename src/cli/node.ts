/**
 * `blockyard node`: runs a node until Ctrl-C. Flags follow the tutorials (`-p/--port`, default
 * 5000) and DESIGN.md; the chain is kept under `--data-dir` (default ~/.blockyard).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { JoinInfo } from '../api/deps.js';
import { formatCoins, type NetworkName, networks, parseCoins } from '../core/index.js';
import { isKernelChoice } from '../miner/index.js';
import { createNode } from '../node/createNode.js';
import { DataDirInUseError } from '../node/dataDirLock.js';
import { joinInfo } from '../node/joinInfo.js';
import { createLogger, type LogFormat } from '../node/logger.js';
import { confirmReset, demoOptions, demoPlan, demoUsage, devAccountLines } from './nodeDemo.js';

export const nodeUsage = `usage: blockyard node [options]

  -p, --port <n>            HTTP port (default 5000)
      --host <addr>         address to listen on (default 127.0.0.1; 0.0.0.0 to share on a LAN)
      --data-dir <dir>      where chains are kept (default ~/.blockyard; one folder per network)
      --network <name>      tutorial (fixed difficulty, the tutorials' "0000"), devnet or lab
                            (default tutorial)
      --peers <list>        peers to join, comma-separated host:port or URLs (kept across restarts)
      --mine                mine continuously
      --block-time <s>      continuous mining's pace: at least this many seconds between blocks
                            (default 1 on the tutorial network, 0 on devnet; 0 = as fast as the
                            proof of work allows)
      --miner-address <a>   pay mining rewards to this address (default: the node's own)
      --miner-threads <n>   mining threads (default: one per core)
      --miner-kernel <k>    auto (default), native-sha-ni, wasm-simd128, native-openssl or node-crypto
      --faucet <coins>      pay this many coins from the node's own address to each new wallet
                            that asks (once an hour per address and per computer; off by default)
      --api-token <t>       token for operator routes from other machines (default: a new one
                            each start, written to <data-dir>/<network>/api-token)
      --log-format <f>      pretty (default) or json
      --lab                 lab mode (blockyard lab): operator routes under /api/lab that cap
                            the hash rate, cut or delay links and withhold blocks
      --hash-rate <n>       with --lab: mine at most n hashes per second (default: no cap)
${demoUsage}`;

/** `started`: called once the node is up (nodeCommand.ts), or on the way out. */
export async function runNode(argv: readonly string[], started = () => {}): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', short: 'p', default: '5000' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: join(homedir(), '.blockyard') },
      network: { type: 'string', default: 'tutorial' },
      mine: { type: 'boolean', default: false },
      'block-time': { type: 'string' },
      peers: { type: 'string', default: '' },
      'miner-address': { type: 'string' },
      'miner-threads': { type: 'string' },
      'miner-kernel': { type: 'string', default: 'auto' },
      'api-token': { type: 'string' },
      faucet: { type: 'string' },
      'log-format': { type: 'string', default: 'pretty' },
      lab: { type: 'boolean', default: false },
      'hash-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...demoOptions,
    },
  });
  if (values.help) {
    process.stdout.write(nodeUsage);
    return 0;
  }
  const port = Number(values.port);
  const params = networks[values.network as NetworkName];
  const format = values['log-format'];
  const threads =
    values['miner-threads'] === undefined ? undefined : Number(values['miner-threads']);
  const kernel = values['miner-kernel'];
  const faucetUnits = values.faucet === undefined ? undefined : parseCoins(values.faucet);
  const hashRate = values['hash-rate'] === undefined ? null : Number(values['hash-rate']);
  const blockTime = values['block-time'];
  const blockTimeMs =
    blockTime === undefined || !/^[0-9]{1,6}(\.[0-9]{1,3})?$/.test(blockTime)
      ? undefined
      : Math.round(Number(blockTime) * 1000);
  const problem =
    blockTime !== undefined && blockTimeMs === undefined
      ? `--block-time must be a number of seconds like 0, 1 or 2.5, not "${blockTime}"`
      : !Number.isInteger(port) || port < 0 || port > 65535
        ? `--port must be a number from 0 to 65535, not "${values.port}"`
        : threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)
          ? `--miner-threads must be a number from 1 to 256, not "${values['miner-threads']}"`
          : !isKernelChoice(kernel)
            ? `--miner-kernel must be auto, native-sha-ni, wasm-simd128, native-openssl or node-crypto, not "${kernel}"`
            : !params
              ? `--network must be tutorial, devnet or lab, not "${values.network}"`
              : format !== 'pretty' && format !== 'json'
                ? `--log-format must be pretty or json, not "${format}"`
                : values.faucet !== undefined && !(faucetUnits && faucetUnits > 0n)
                  ? `--faucet must be a number of coins above 0 like 10 or 0.5, not "${values.faucet}"`
                  : hashRate !== null && !(Number.isInteger(hashRate) && hashRate >= 1)
                    ? `--hash-rate must be a whole number of hashes per second, not "${values['hash-rate']}"`
                    : hashRate !== null && !values.lab
                      ? '--hash-rate needs --lab'
                      : undefined;
  const demo = demoPlan(values);
  if (problem || !params || !isKernelChoice(kernel) || 'problem' in demo) {
    const why = problem ?? ('problem' in demo ? demo.problem : '');
    process.stderr.write(`blockyard node: ${why}\n\n${nodeUsage}`);
    return 2;
  }
  if (
    demo.reset &&
    !(await confirmReset(values['data-dir'], params.name, values.yes, (t) =>
      process.stderr.write(t),
    ))
  ) {
    return 1;
  }
  const logger = createLogger(format as LogFormat);
  // Signals are caught from the start and for as long as the node closes: one that comes while
  // the node starts stops it as soon as it has started, and a second one (a terminal and
  // `blockyard devnet` may both send one) does not cut the close short. A third gives up.
  let signals = 0;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const onSignal = () => {
    signals++;
    if (signals >= 3) process.exit(1);
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let node: Awaited<ReturnType<typeof createNode>>;
  try {
    node = await createNode({
      params,
      dataDir: values['data-dir'],
      host: values.host,
      port,
      mine: values.mine,
      ...(blockTimeMs === undefined ? {} : { minerIntervalMs: blockTimeMs }),
      peers: values.peers
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      minerAddress: values['miner-address'],
      minerThreads: threads,
      minerKernel: kernel,
      apiToken: values['api-token'],
      faucetUnits,
      reset: demo.reset,
      lab: values.lab ? { hashRate } : undefined,
      logger,
      warmUp: true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof DataDirInUseError) {
      process.stderr.write(`blockyard node: ${error.message}\n`);
      return 1;
    }
    if (code === 'EADDRINUSE') {
      process.stderr.write(
        `blockyard node: port ${port} is in use (another node?); try -p ${port + 1}\n`,
      );
      return 1;
    }
    throw error;
  }
  let devLines: string[] = [];
  try {
    devLines = await devAccountLines(node, demo, values['dev-mnemonic']);
  } catch (error) {
    process.stderr.write(`blockyard node: ${(error as Error).message}\n`);
    await node.close();
    return 1;
  }
  const tip = node.chain.tip;
  logger.info(
    { network: params.name, height: tip.header.height, tip: tip.hashHex, data: node.dataPath },
    `blockyard node ${node.nodeKey.address}`,
  );
  process.stdout.write(
    [
      '',
      `  blockyard node on the ${params.name} network, chain height ${tip.header.height}`,
      `  node address  ${node.nodeKey.address}`,
      `  miner         ${node.miner.status().kernel} on ${node.miner.status().threads} thread(s)${values.mine ? ', mining' : ' (mine with /mine, or start with --mine)'}`,
      `  home page     ${node.url}/`,
      `  API           ${node.url}/api/info   (tutorial routes: /chain /mine /transactions/new …)`,
      `  API docs      ${node.url}/docs`,
      `  data          ${node.dataPath}`,
      ...(await joinLines(joinInfo(values.host, Number(new URL(node.url).port)), faucetUnits)),
      ...devLines,
      '',
      '  Ctrl-C stops the node.',
      '',
      '',
    ].join('\n'),
  );

  started();
  await stopped;
  logger.info('stopping');
  await node.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return 0;
}

/** How others join: every URL of this machine, the student's command, a QR code, the faucet. */
async function joinLines(join: JoinInfo, faucetUnits: bigint | undefined): Promise<string[]> {
  if (join.urls.length === 0) return ['', `  joining       nobody can yet: ${join.problem}`];
  // PERF: the QR code's module only for a node others can join (--host 0.0.0.0).
  const { renderUnicodeCompact } = await import('uqr');
  const [first, ...more] = join.urls;
  return [
    '',
    `  join          ${first}/   (the dashboard, from any machine on this network)`,
    ...more.map((url) => `                ${url}/`),
    `  a student     ${join.command}`,
    ...(faucetUnits === undefined
      ? []
      : [
          `  faucet        ${formatCoins(faucetUnits)} coins to each new wallet, once an hour per address and computer`,
          '                (turn it off: POST /api/faucet/config {"enabled": false}, or the Network page)',
        ]),
    '',
    ...renderUnicodeCompact(`${first}/`, { border: 1 })
      .split('\n')
      .map((line) => `  ${line}`),
  ];
}
