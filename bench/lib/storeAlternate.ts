/**
 * The main thread's CPU in a SQLite store's connect writes, two stores side by side: the one of
 * this tree and the one of another checkout (its root the first argument), each under its own
 * Chain, fed the same full blocks (bench/lib/syncAdd.ts's file) alternately, the order swapped
 * each block, so that both see the same load. For a change in src/storage/:
 *   npx tsx bench/lib/storeAlternate.ts /path/to/old/checkout
 * Prints this thread's CPU a transfer in connectTentatively plus its commit (keep), per store.
 * A third argument, `grown` full blocks, first fills both stores as that many full blocks would
 * have (bench/lib/grownStore.ts, each in its own layout): a long chain's connect.
 *   npx tsx bench/lib/storeAlternate.ts /path/to/old/checkout [rounds=2] [grown=0]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../src/storage/types.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { growStore } from './grownStore.js';
import { readBlockFile } from './nodeChild.js';
import { mainThreadCpuMs } from './threadCpu.js';

const FILE = '/tmp/syncblocks.bin';
const oldRoot = resolve(process.argv[2] ?? '.');
const rounds = Number(process.argv[3] ?? 2);
const grown = Number(process.argv[4] ?? 0);
const old = (await import(join(oldRoot, 'src/storage/sqliteStore.ts'))) as {
  openSqliteStore: typeof openSqliteStore;
};

const items = readBlockFile(FILE);

/** A store whose connect writes add this thread's CPU to `spent.ms`. */
function timed(store: ChainStore, spent: { ms: number }): ChainStore {
  const around = <T>(f: () => T): T => {
    const before = mainThreadCpuMs()!;
    try {
      return f();
    } finally {
      spent.ms += mainThreadCpuMs()! - before;
    }
  };
  return {
    ...store,
    connectBlock: (c) => around(() => store.connectBlock(c)),
    connectTentatively: (c) => {
      const written = around(() => store.connectTentatively!(c));
      return { keep: () => around(() => written.keep()), drop: () => written.drop() };
    },
  };
}

const sides = await Promise.all(
  (['old', 'new'] as const).map(async (name) => {
    const dir = mkdtempSync(join(tmpdir(), `store-${name}-`));
    const open = name === 'old' ? old.openSqliteStore : openSqliteStore;
    const spent = { ms: 0 };
    if (grown > 0) growStore(join(dir, 'chain.sqlite'), grown, 6_368, open);
    const store = open(join(dir, 'chain.sqlite'));
    const verifier = createNodeVerifier();
    const chain = await Chain.open({
      params: easyParams,
      store: timed(store, spent),
      verifier,
      now: Date.now,
    });
    return { name, dir, spent, store, verifier, chain, perTx: [] as number[] };
  }),
);
for (let round = 0; round < rounds; round++) {
  for (const [i, it] of items.entries()) {
    const order = (i + round) % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      // Round 2 on: the same blocks again would be duplicates; each round uses fresh stores.
      const before = side.spent.ms;
      const added = await side.chain.addBlock(it.block, { bytes: it.bytes, hash: it.hash });
      if (!added.ok || added.value.status !== 'connected') throw new Error(`${side.name} ${i}`);
      if (i >= 2) side.perTx.push(((side.spent.ms - before) * 1000) / (it.block.txs.length - 1));
    }
  }
  if (round + 1 < rounds) {
    for (const side of sides) {
      side.store.close();
      rmSync(side.dir, { recursive: true, force: true });
      const dir = mkdtempSync(join(tmpdir(), `store-${side.name}-`));
      const open = side.name === 'old' ? old.openSqliteStore : openSqliteStore;
      side.dir = dir;
      if (grown > 0) growStore(join(dir, 'chain.sqlite'), grown, 6_368, open);
      side.store = open(join(dir, 'chain.sqlite'));
      side.chain = await Chain.open({
        params: easyParams,
        store: timed(side.store, side.spent),
        verifier: side.verifier,
        now: Date.now,
      });
    }
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const sum = (a: number[]) => a.reduce((n, v) => n + v, 0);
for (const side of sides) {
  console.log(
    `${side.name}: connect writes, this thread's CPU a transfer: mean ${(sum(side.perTx) / side.perTx.length).toFixed(1)} µs, median ${median(side.perTx).toFixed(1)} µs over ${side.perTx.length} blocks`,
  );
  side.store.close();
  await side.verifier.close?.();
  rmSync(side.dir, { recursive: true, force: true });
}
console.log(`load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
