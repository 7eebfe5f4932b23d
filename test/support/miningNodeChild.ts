/**
 * A node in a child process for crash tests (test/integration/persistence.test.ts), started as
 * `node --import tsx test/support/miningNodeChild.ts <dataDir>`. It mines flat out on easy
 * proof of work and prints one JSON line per event on stdout: first
 * `{"url", "address"}`, then `{"height", "hash", "txs"}` for every block it connected (written
 * after the block's SQLite transaction committed: the chain emits `connected` after that).
 * stdout is a pipe, and pipes are written synchronously on Linux, so a line the parent has read
 * describes a block that was committed before the process could be killed.
 */
import { createNode } from '../../src/node/createNode.js';
import { easyParams } from './chainBuilder.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: miningNodeChild.ts <dataDir>');

const node = await createNode({
  params: easyParams,
  dataDir,
  host: '127.0.0.1',
  port: 0,
  mine: true,
  minerIntervalMs: 0,
});
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
node.chain.on('connected', (entry, block) =>
  say({ height: entry.header.height, hash: entry.hashHex, txs: block.txs.length }),
);
say({ url: node.url, address: node.nodeKey.address });
