/**
 * kill -9 in the middle of a switch deeper than the undo window: the store's switch (taking the
 * blocks off, restoring the accounts from the copy below the fork point, replaying the blocks
 * after it, src/storage/undoWindow.ts, stateSnapshots.ts; then connecting the branch) runs in one
 * SQL transaction, over many turns of the event loop (src/storage/sqliteSwitch.ts). A node killed
 * inside it, in the replay or in the branch's connects, must reopen on the chain before the
 * switch, every answer as before it, and the chain then make the switch as it opens (the
 * branch's blocks were stored before): never a state between the two.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import { type Block, COIN, encodeBlock, hashHeader, toHex } from '../../../src/core/index.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
  miner,
} from '../../support/chainBuilder.js';
import { makeTempDir } from '../../support/nodeFixtures.js';
import { runUntilStopped } from '../../support/stoppingChild.js';
import { referenceAnswers, storeAnswers } from '../../support/storeAnswers.js';

const childScript = fileURLToPath(new URL('../../support/deepRewindChild.ts', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});
const UNDO = 2;
const SNAPSHOTS = 3;

/**
 * Main: G A1 … A8, each paying; the branch from A5: B6 … B9, paying otherwise, heavier once B9
 * comes: a switch 3 blocks deep, past a window of 2; the copy below the fork point is A3's.
 */
function branches(): { main: Block[]; branch: Block[] } {
  const a = new ChainBuilder();
  a.mine();
  for (let i = 2; i <= 8; i++)
    a.mine({ transfers: [a.transfer(miner, i % 2 ? alice : bob, BigInt(i) * COIN)] });
  const b = a.forkAt(6);
  for (let i = 0; i < 4; i++)
    b.mine({ minerKey: carol.key, transfers: [b.transfer(miner, carol, BigInt(i + 1) * COIN)] });
  return { main: a.blocks, branch: b.blocks };
}

/**
 * The branches, the blocks the child is fed (main, then the branch's own) in a file, its empty
 * data directory, and the blocks whose answers the test compares; removed after the test.
 */
function childFiles() {
  const { main, branch } = branches();
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  const blocksFile = join(temp.dir, 'blocks.json');
  const fed = [...main.slice(1), ...branch.slice(6)];
  writeFileSync(blocksFile, JSON.stringify(fed.map((b) => toHex(encodeBlock(b)))));
  const dataDir = join(temp.dir, 'node');
  mkdirSync(dataDir);
  return { main, branch, asked: [...main, ...branch.slice(6)], temp, blocksFile, dataDir };
}

describe('a node killed with SIGKILL in the middle of a switch deeper than its undo window', () => {
  // Replayed from A3's copy: A4, then stopped at A5; or replayed, B6 connected, stopped at B7.
  it.each([
    ['replay', 5],
    ['connect', 7],
  ] as const)(
    'stopped in its %s: reopens on the chain before the switch, then makes it as it opens',
    async (stopIn, stopsAt) => {
      const { main, branch, asked, temp, blocksFile, dataDir } = childFiles();

      const child = await runUntilStopped(
        childScript,
        [dataDir, blocksFile, `${UNDO}`, `${SNAPSHOTS}`, stopIn],
        cleanups,
      );
      expect(child.stopped).toBe(stopsAt);
      // stopped inside the open transaction: no handler runs
      expect(await child.kill()).toBe('SIGKILL');

      const before = referenceAnswers(temp.dir, 'before.sqlite', main, asked);
      const after = referenceAnswers(temp.dir, 'after.sqlite', branch, asked);
      const options = { undoBlocks: UNDO, snapshotBlocks: SNAPSHOTS };
      const store = openSqliteStore(join(dataDir, 'chain.sqlite'), options);
      expect(storeAnswers(store, asked)).toEqual(before);

      const verifier = createNodeVerifier();
      cleanups.push(() => void verifier.close?.());
      const chain = await Chain.open({
        params: easyParams,
        store,
        verifier,
        now: () => defaultNowMs(easyParams),
      });
      expect(chain.tip.hashHex).toBe(toHex(hashHeader(branch.at(-1)!.header)));
      expect(storeAnswers(store, asked)).toEqual(after);
      store.close();
    },
    60_000,
  );
});

describe('a node stopped with SIGSTOP in the middle of a switch deeper than its undo window', () => {
  it('is seen on the chain before it meanwhile and, woken with SIGCONT, makes it whole', async () => {
    const { main, branch, asked, temp, blocksFile, dataDir } = childFiles();
    const path = join(dataDir, 'chain.sqlite');

    const child = await runUntilStopped(
      childScript,
      [dataDir, blocksFile, `${UNDO}`, `${SNAPSHOTS}`, 'replay'],
      cleanups,
    );
    expect(child.stopped).toBe(5);
    // Another reader of the file, while the switch's transaction stands open and stopped.
    const reader = new Database(path, { readonly: true });
    const tipNow = () =>
      (reader.prepare("SELECT value FROM meta WHERE key = 'tip'").get() as { value: string }).value;
    expect(tipNow()).toBe(toHex(hashHeader(main.at(-1)!.header)));

    expect(await child.resume()).toBe(9);
    expect(tipNow()).toBe(toHex(hashHeader(branch.at(-1)!.header)));
    reader.close();
    await child.kill();
    const store = openSqliteStore(path, { undoBlocks: UNDO, snapshotBlocks: SNAPSHOTS });
    expect(storeAnswers(store, asked)).toEqual(
      referenceAnswers(temp.dir, 'after.sqlite', branch, asked),
    );
    store.close();
  }, 60_000);
});
