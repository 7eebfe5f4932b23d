/**
 * The `blockyard` command line. Each command lives in its own file; this one only dispatches.
 * The CLI is the only part of blockyard that prints to the terminal.
 */
import { runDemo } from './demo.js';
import { runDevnet } from './devnet.js';
import { runNode } from './node.js';

const usage = `blockyard — a small, real proof-of-work blockchain

usage: blockyard <command> [options]

commands:
  node    run a node: mine, take transactions, serve the chain (blockyard node --help)
  devnet  run a network of nodes on this machine, one process each (blockyard devnet --help)
  demo    build a short chain in memory and show every step
  help    this text

The wallet (blockyard wallet) is being built; see the README for what works today.
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
    case 'node':
      return runNode(rest);
    case 'devnet':
      return runDevnet(rest);
    case 'demo':
      return runDemo(rest);
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
