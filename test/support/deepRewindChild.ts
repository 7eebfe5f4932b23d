/**
 * A chain on SQLite in a child process that stops itself (SIGSTOP) in the middle of a switch
 * deeper than its undo window (StoreSwitch, src/storage/sqliteSwitch.ts): in its rewind (the
 * blocks taken off, the accounts restored from a copy, stateSnapshots.ts, one block replayed, the
 * next not), or after it, in the branch's connects (one connected, the next not).
 * `node --import tsx test/support/deepRewindChild.ts <dataDir> <blocksFile> <undo> <snapshots>
 * [replay|connect]` adds the blocks of `blocksFile` (a JSON array of hex encodings: the main chain
 * after genesis, then the heavier branch) one by one, in a store keeping `undo` blocks' undo and
 * a copy every `snapshots` blocks; at the second block the switch replays (`replay`, the default)
 * or connects (`connect`) it prints `{"stopped": height}` on stdout and stops. The parent kills it
 * there (SIGKILL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { decodeBlock, fromHex } from '../../src/core/index.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../src/storage/types.js';
import { defaultNowMs, easyParams } from './chainBuilder.js';

const [dataDir, blocksFile, undo, snapshots, stopIn = 'replay'] = process.argv.slice(2);
if (!dataDir || !blocksFile || !undo || !snapshots)
  throw new Error('usage: deepRewindChild.ts <dataDir> <blocksFile> <undo> <snapshots> [stopIn]');
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
/** Stops the process (SIGSTOP) once told the height it stops at (stdout, read by the parent). */
const stop = (height: number) => {
  // stdout is a pipe, written synchronously: the parent has the line before the stop.
  say({ stopped: height });
  process.kill(process.pid, 'SIGSTOP');
};

const blocks = (JSON.parse(readFileSync(blocksFile, 'utf8')) as string[]).map((hex) => {
  const decoded = decodeBlock(fromHex(hex));
  if (!decoded.ok) throw new Error(`block ${hex.slice(0, 16)}… does not decode`);
  return decoded.value;
});
const inner = openSqliteStore(join(dataDir, 'chain.sqlite'), {
  undoBlocks: Number(undo),
  snapshotBlocks: Number(snapshots),
});
const store: ChainStore = {
  ...inner,
  beginSwitch() {
    const sw = inner.beginSwitch();
    let replayed = 0;
    let connected = 0;
    return {
      ...sw,
      rewind: (height, replay) =>
        sw.rewind(height, (block, state) => {
          if (++replayed === 2 && stopIn === 'replay') stop(block.header.height);
          return replay(block, state);
        }),
      connect(c) {
        if (++connected === 2 && stopIn === 'connect') stop(c.block.header.height);
        sw.connect(c);
      },
    };
  },
};
const chain = await Chain.open({
  params: easyParams,
  store,
  verifier: createNodeVerifier(),
  now: () => defaultNowMs(easyParams),
});
for (const block of blocks) {
  const added = await chain.addBlock(block);
  if (!added.ok) throw new Error(`block ${block.header.height}: ${added.code}`);
}
say({ done: chain.tip.header.height });
