/**
 * The `blockyard` command line. Each command lives in its own file; this one only dispatches.
 * The CLI is the only part of blockyard that prints to the terminal.
 *
 * PERF: commands are imported when chosen, so `blockyard wallet` does not load the node
 * (fastify, SQLite, the miner) just to sign a transfer.
 */

const usage = `blockyard — a small, real proof-of-work blockchain

usage: blockyard <command> [options]

commands:
  node    run a node: mine, take transactions, serve the chain (blockyard node --help)
  devnet  run a network of nodes on this machine, one process each (blockyard devnet --help)
  lab     steer a network of real nodes and run the double-spend attacks (blockyard lab --help)
  wallet  keys, addresses, balances and signed transfers (blockyard wallet --help)
  chain   read a node's chain: info, block, tx, address (blockyard chain --help)
  mine    mine blocks on a node now and see what each took (blockyard mine --help)
  demo    build a short chain in memory and show every step
  help    this text
`;

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    // A mistyped flag is the user's to fix; anything else is a bug worth its stack trace.
    if (
      error instanceof Error &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`blockyard: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'node': {
      // The young generation held before the node's modules load, for the node's life
      // (youngGeneration.ts); from the bundle when built (nodeCommand.ts).
      const { runNode, started } = await (await import('./nodeCommand.js')).loadNodeCommand();
      return runNode(rest, started);
    }
    case 'devnet':
      return (await import('./devnet.js')).runDevnet(rest);
    case 'lab':
      return (await import('./lab.js')).runLab(rest);
    case 'wallet':
      return (await import('./wallet/runWallet.js')).runWallet(rest);
    case 'chain':
      return (await import('./chain.js')).runChain(rest);
    case 'mine':
      return (await import('./mine.js')).runMine(rest);
    case 'demo':
      return (await import('./demo.js')).runDemo(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`blockyard: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}
