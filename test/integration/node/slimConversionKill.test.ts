/**
 * kill -9 in the middle of converting a data directory of an older layout (slim, or the one before
 * it) to the index layout with generations (src/storage/sqliteSchema.ts): the conversion is one
 * SQL transaction, so a node killed inside it leaves the older layout whole, and the next start converts it again and answers
 * as before: every transaction's location, every party's history, the same tip.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Block, COIN, hashTx, toHex } from '../../../src/core/index.js';
import { createNode } from '../../../src/node/createNode.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, carol, easyParams, miner } from '../../support/chainBuilder.js';
import { connectInto, makeTempDir } from '../../support/nodeFixtures.js';
import {
  GEN_LAYOUT,
  layout,
  PREVIOUS_LAYOUT,
  SLIM_LAYOUT,
  toPreviousLayout,
  toSlimLayout,
} from '../../support/previousLayout.js';

const childScript = fileURLToPath(new URL('../../support/convertingNodeChild.ts', import.meta.url));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BLOCKS = 1_000;

/** Coinbases, and transfers every few blocks among four parties. */
function buildChain(): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  for (let h = 2; h <= BLOCKS; h++) {
    const transfers =
      h % 5 === 0
        ? [b.transfer(miner, alice, 2n * COIN)]
        : h % 7 === 0 && b.account(alice.key)
          ? [b.transfer(alice, bob, 1n * COIN), b.transfer(miner, carol, 1n * COIN)]
          : [];
    b.mine({ transfers });
  }
  return b;
}

/** Every transaction's location and every party's history, as the store answers them. */
function lookups(store: ChainStore, blocks: readonly Block[]) {
  return {
    tip: toHex(store.getTipHash()!),
    locations: blocks.flatMap((block) => block.txs.map((tx) => store.getTxLocation(hashTx(tx)))),
    histories: [alice, bob, carol, miner].map((p) => store.getHistory(toHex(p.key), 10_000)),
  };
}

/** Starts the child on `dataDir`; resolves once it stopped itself inside the conversion. */
function stopMidConversion(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the node exited (${code}) before converting`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { stopped?: string; url?: string };
      if (message.stopped === 'txs') resolve(child);
      if (message.url) reject(new Error('the node started without converting anything'));
    });
  });
}

describe.each([
  { name: 'slim', rewrite: toSlimLayout, old: SLIM_LAYOUT },
  { name: 'previous', rewrite: toPreviousLayout, old: PREVIOUS_LAYOUT },
])('a node killed with SIGKILL while it converts its data directory', ({ name, rewrite, old }) => {
  it(`leaves the ${name} layout whole, and converts it at the next start`, async () => {
    const builder = buildChain();
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    mkdirSync(join(temp.dir, easyParams.name));
    const path = join(temp.dir, easyParams.name, 'chain.sqlite');
    const store = openSqliteStore(path);
    await store.deferDurability(async () => connectInto(store, builder.blocks, easyParams));
    const before = lookups(store, builder.blocks);
    expect(before.locations.every((l) => l !== undefined)).toBe(true);
    expect(before.histories.every((h) => h.length > 100)).toBe(true);
    store.close();
    rewrite(path);
    expect(layout(path)).toEqual(old);

    // Stopped with the transaction index copied into its new table, the history not yet.
    const child = await stopMidConversion(temp.dir);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(layout(path)).toEqual(old);

    // The next start converts it whole, says so in its log, and answers as before.
    const logged: { conversion?: string; msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line)) },
    );
    const node = await createNode({ params: easyParams, dataDir: temp.dir, port: 0, logger });
    cleanups.push(() => node.close());
    expect(logged.flatMap((l) => (l.conversion ? [l.conversion] : []))).toEqual([
      'start',
      'txs',
      'history',
      'done',
    ]);
    expect(layout(path)).toEqual(GEN_LAYOUT);
    expect(node.chain.tip.header.height).toBe(BLOCKS);
    expect(lookups(node.store, builder.blocks)).toEqual(before);
  });
});
