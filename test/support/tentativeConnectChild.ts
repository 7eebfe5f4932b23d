/**
 * A chain on SQLite in a child process that stops itself (SIGSTOP) while a block's connect is
 * written tentatively, its signatures still being checked (ChainStore.connectTentatively): not a
 * sync's block, one added on its own as a mined or gossiped block is.
 * `node --import tsx test/support/tentativeConnectChild.ts <dataDir> <blocksFile>` adds the blocks
 * of `blocksFile` (a JSON array of their hex encodings, genesis first) one by one; once the last
 * one's connect is written, it prints `{"stopped": height}` on stdout and stops. The parent kills
 * it there (SIGKILL). The earlier blocks are added the same way, and kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { decodeBlock, fromHex } from '../../src/core/index.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../src/storage/types.js';
import { defaultNowMs, easyParams } from './chainBuilder.js';

const [dataDir, blocksFile] = process.argv.slice(2);
if (!dataDir || !blocksFile)
  throw new Error('usage: tentativeConnectChild.ts <dataDir> <blocksFile>');
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const blocks = (JSON.parse(readFileSync(blocksFile, 'utf8')) as string[]).map((hex) => {
  const decoded = decodeBlock(fromHex(hex));
  if (!decoded.ok) throw new Error(`block ${hex.slice(0, 16)}… does not decode`);
  return decoded.value;
});
const lastHeight = blocks.at(-1)!.header.height;
const inner = openSqliteStore(join(dataDir, 'chain.sqlite'));
const store: ChainStore = {
  ...inner,
  connectTentatively(c) {
    const pending = inner.connectTentatively!(c);
    if (c.block.header.height === lastHeight) {
      // stdout is a pipe, written synchronously: the parent has the line before the stop.
      say({ stopped: lastHeight });
      process.kill(process.pid, 'SIGSTOP');
    }
    return pending;
  },
};
const chain = await Chain.open({
  params: easyParams,
  store,
  verifier: createNodeVerifier(),
  now: () => defaultNowMs(easyParams),
});
for (const block of blocks.slice(1)) {
  const added = await chain.addBlock(block);
  if (!added.ok) throw new Error(`block ${block.header.height}: ${added.code}`);
}
say({ done: chain.tip.header.height });
