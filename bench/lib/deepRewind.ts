/**
 * What a switch deeper than the undo window (src/storage/undoWindow.ts) costs the store:
 * StoreSwitch.rewind's time (every step at once, committed), CPU and peak memory on a SQLite chain of `blocks` blocks of
 * `transfers` transfers each (funded senders, round robin, each paying a new key: the state grows
 * by `transfers` accounts a block), rewound to `depth` blocks below the tip. Signatures are zeros:
 * the rewind's replay applies blocks (applyBlock) without checking them, as the node's does.
 * Each label after the arguments is one store options set, all built from the same blocks and
 * rewound in turn, `rounds` times (a copy of the file each round), alternated:
 *   npx tsx bench/lib/deepRewind.ts [blocks=300] [transfers=100] [depth=window+10] [rounds=2]
 *     [window=288] [labels=genesis,snapshots]
 * `genesis`: no state snapshots (snapshotBlocks 0: every deep rewind replays from block 1);
 * `snapshots`: the store's default.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Account,
  applyBlock,
  type Block,
  blockSubsidy,
  type Tx,
} from '../../src/core/index.js';
import { openSqliteStore, type SqliteStoreOptions } from '../../src/storage/sqliteStore.js';
import { isSnapshotHeight, SNAPSHOT_BLOCKS } from '../../src/storage/stateSnapshots.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { rewindTo } from '../../test/support/storeMoves.js';
import { cpuUs, ZEROS } from './indexBlocks.js';
import { blockTransfers, funder, keyOf, newPayer } from './roundRobinTransfers.js';

const blocks = Number(process.argv[2] ?? 300);
const transfers = Number(process.argv[3] ?? 100);
const window = Number(process.argv[6] ?? 288);
const depth = Number(process.argv[4] ?? window + 10);
const rounds = Number(process.argv[5] ?? 2);
const labels = (process.argv[7] ?? 'genesis,snapshots').split(',');
const params = easyParams;

const optionsOf = (label: string): SqliteStoreOptions =>
  label === 'genesis' ? { undoBlocks: window, snapshotBlocks: 0 } : { undoBlocks: window };

function makeBlock(height: number, txs: Tx[]): Block {
  const prev = new Uint8Array(32);
  new DataView(prev.buffer).setUint32(0, height);
  return {
    header: {
      version: 1,
      height,
      prevHash: height === 0 ? ZEROS : prev,
      merkleRoot: ZEROS,
      timestampMs: height * 1000,
      bits: 0,
      nonce: 0n,
    },
    txs,
  };
}
const hashOf = (height: number) => {
  const hash = new Uint8Array(32);
  new DataView(hash.buffer).setUint32(0, height + 1);
  return hash;
};

const copyConnects: number[] = [];
const otherConnects: number[] = [];
/** Builds the chain once in the first store; the others get a copy of its file. */
function build(path: string, options: SqliteStoreOptions): void {
  const store = openSqliteStore(path, options);
  const state = new Map<string, Account>();
  const reader = { getAccount: (k: string) => state.get(k) };
  const payer = newPayer();
  for (let h = 0; h <= blocks; h++) {
    const txs = blockTransfers(params, h, payer, transfers);
    const fees = BigInt(h === 0 ? 0 : txs.length);
    const coinbase: Tx = {
      type: 'coinbase',
      chainId: params.chainId,
      height: h,
      to: h === 1 ? funder : ZEROS,
      amount: h === 0 ? 0n : h === 1 ? blockSubsidy(params, 1) : fees,
    };
    const block = makeBlock(h, [coinbase, ...txs]);
    const effects = applyBlock(reader, block, params);
    if (!effects.ok) throw new Error(`block ${h}: ${effects.code} ${effects.detail}`);
    for (const [k, a] of effects.value.diff) a === null ? state.delete(k) : state.set(k, a);
    const hash = hashOf(h);
    store.saveBlock(
      { hash, header: block.header, chainWork: BigInt(h), seenOrder: h, invalid: false },
      block,
    );
    const c0 = cpuUs();
    store.connectBlock({
      hash,
      block,
      txIds: block.txs.map((_, i) => keyOf(h * 100_000 + i)),
      ...effects.value,
    });
    (isSnapshotHeight(h, SNAPSHOT_BLOCKS) ? copyConnects : otherConnects).push(
      (cpuUs() - c0) / 1000,
    );
  }
  store.close();
}

/** Peak RSS since the last reset (Linux: clear_refs 5 resets VmHWM). */
const resetPeak = () => writeFileSync('/proc/self/clear_refs', '5');
const peakMb = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

const dir = mkdtempSync(join(tmpdir(), 'deep-rewind-'));
const built = join(dir, 'built.sqlite');
const t0 = performance.now();
build(built, { undoBlocks: window });
const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1] ?? 0;
const fork = blocks - depth;
console.log(
  `connect CPU: ${median(otherConnects).toFixed(1)} ms median a block; with a copy of the accounts (${copyConnects.length}): ${copyConnects.map((ms) => ms.toFixed(0)).join(', ')} ms; the copy below the fork point: ${Math.floor(fork / SNAPSHOT_BLOCKS) * SNAPSHOT_BLOCKS} (replays ${fork - Math.floor(fork / SNAPSHOT_BLOCKS) * SNAPSHOT_BLOCKS} blocks, if kept)`,
);
console.log(
  `built ${blocks} blocks of ${transfers} transfers in ${((performance.now() - t0) / 1000).toFixed(1)} s; rewinding ${depth} deep (to ${blocks - depth}), window ${window}, load ${loadavg()[0]!.toFixed(1)}`,
);
const copy = (to: string) => {
  copyFileSync(built, to);
  for (const ext of ['-wal', '-shm'])
    if (existsSync(built + ext)) copyFileSync(built + ext, to + ext);
};
const replay = (block: Block, state: { getAccount(k: string): Account | undefined }) => {
  const effects = applyBlock(state, block, params);
  if (!effects.ok) throw new Error(`replay ${block.header.height}: ${effects.code}`);
  return effects.value;
};
const results = new Map<string, string[]>(labels.map((l) => [l, []]));
for (let round = 0; round < rounds; round++) {
  for (const label of round % 2 === 0 ? labels : [...labels].reverse()) {
    const path = join(dir, `${label}-${round}.sqlite`);
    copy(path);
    const store = openSqliteStore(path, optionsOf(label));
    // NOTE: the file was built with the default snapshots: the `genesis` side ignores them.
    store.getTipHash();
    const before = rssMb();
    resetPeak();
    const [c0, w0] = [cpuUs(), performance.now()];
    const taken = rewindTo(store, blocks - depth, replay);
    const [ms, cpu] = [performance.now() - w0, (cpuUs() - c0) / 1000];
    const peak = peakMb() - before;
    store.close();
    rmSync(path, { force: true });
    for (const ext of ['-wal', '-shm']) rmSync(path + ext, { force: true });
    if (taken.length !== depth) throw new Error(`${label}: took ${taken.length} blocks off`);
    results
      .get(label)!
      .push(`${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms, peak +${peak.toFixed(0)} MB)`);
  }
}
for (const [label, lines] of results) console.log(`  ${label}: ${lines.join('; ')}`);
console.log(`load ${loadavg()[0]!.toFixed(1)}`);
rmSync(dir, { recursive: true, force: true });
