/**
 * Block connect as bench connect does it (full blocks, every transfer from a different sender to a
 * new address, no mempool: every signature checked on connect), two builds side by side in one
 * process: each root's dist/ (run `npx tsc -p tsconfig.build.json` in both) with its own Chain,
 * SQLite store and signature workers, fed the same blocks alternately, the order swapped each
 * block, so that both see the same load. For a change to the connect path:
 *   npx tsx bench/lib/connectAlternate.ts OLD_ROOT NEW_ROOT [rounds=2] [grown=0]
 * Prints, per build, medians over the timed blocks of each round: this thread's CPU a transfer
 * (from /proc's schedstat, in ns), the process's, the clock's, and the time this thread was not
 * running inside addBlock (waiting for the workers, or for a core); then the pairs' ratios.
 * `grown` full blocks first fill both stores as bench connect's grown chain (grownStore.ts).
 * CONNECT_PROFILE=dir writes a CPU profile of this thread over the first round's timed blocks, both
 * builds' (give the same root twice to profile one build).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Chain } from '../../src/chain/chain.js';
import { blockSubsidy, maxTransfersPerBlock } from '../../src/core/index.js';
import type { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import type { openSqliteStore } from '../../src/storage/sqliteStore.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { BlockMaker } from './blockMaker.js';
import { newBenchKey, payEach, transferToNewAddress } from './ed25519.js';
import { growStore } from './grownStore.js';
import { readBlockFile, writeBlockFile } from './nodeChild.js';

const TIMED = 6;
const FILE = `/tmp/connectblocks-${TIMED}.bin`;
const roots = [resolve(process.argv[2] ?? '.'), resolve(process.argv[3] ?? '.')];
const rounds = Number(process.argv[4] ?? 2);
const grown = Number(process.argv[5] ?? 0);
const profileDir = process.env.CONNECT_PROFILE;
const params = easyParams;
const perBlock = maxTransfersPerBlock(params.maxBlockBytes);

/** This thread's time on a CPU so far, ns (/proc's schedstat: finer than stat's 10 ms ticks). */
function mainCpuNs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
}

if (!existsSync(FILE)) {
  const root = newBenchKey();
  const senders = Array.from({ length: perBlock }, newBenchKey);
  const maker = new BlockMaker(params, randomBytes(32));
  const blocks = [maker.next([], root.publicKey)];
  const share = blockSubsidy(params, 1) / BigInt(perBlock) - 1n;
  blocks.push(maker.next(payEach(root, senders, share, 1n, params.chainId)));
  for (let b = 0; b <= TIMED; b++)
    blocks.push(
      maker.next(senders.map((s) => transferToNewAddress(s, BigInt(b), 1n, params.chainId))),
    );
  writeBlockFile(FILE, blocks);
}
const items = readBlockFile(FILE);

interface Build {
  root: string;
  Chain: typeof Chain;
  openSqliteStore: typeof openSqliteStore;
  createNodeVerifier: typeof createNodeVerifier;
}
const builds: Build[] = await Promise.all(
  roots.map(async (root) => ({
    root,
    ...((await import(join(root, 'dist/chain/chain.js'))) as { Chain: typeof Chain }),
    ...((await import(join(root, 'dist/storage/sqliteStore.js'))) as {
      openSqliteStore: typeof openSqliteStore;
    }),
    ...((await import(join(root, 'dist/crypto/nodeEd25519.js'))) as {
      createNodeVerifier: typeof createNodeVerifier;
    }),
  })),
);

type Figures = { main: number[]; cpu: number[]; wall: number[]; off: number[] };
const figures: Figures[] = builds.map(() => ({ main: [], cpu: [], wall: [], off: [] }));
const session = profileDir ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
}

for (let round = 0; round < rounds; round++) {
  const sides = await Promise.all(
    builds.map(async (build, i) => {
      const dir = mkdtempSync(join(tmpdir(), `connect-alt-${i}-`));
      const path = join(dir, 'chain.sqlite');
      if (grown > 0) growStore(path, grown, perBlock, build.openSqliteStore);
      const store = build.openSqliteStore(path);
      const verifier = build.createNodeVerifier(10_000, { extraIdleMs: 3_600_000 });
      const chain = await build.Chain.open({ params, store, verifier, now: Date.now });
      return { i, dir, store, verifier, chain };
    }),
  );
  for (const [b, it] of items.entries()) {
    const order = (b + round) % 2 === 0 ? sides : [...sides].reverse();
    if (session && round === 0 && b === 3) await session.post('Profiler.start');
    for (const side of order) {
      const main0 = mainCpuNs();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const added = await side.chain.addBlock(it.block);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const main = (mainCpuNs() - main0) / 1e6;
      if (!added.ok || added.value.status !== 'connected')
        throw new Error(`build ${side.i} block ${b}: ${JSON.stringify(added)}`);
      if (b < 3) continue; // funding, one sender; the senders' keys imported
      const txs = it.block.txs.length - 1;
      const f = figures[side.i]!;
      f.main.push((main * 1000) / txs);
      f.cpu.push(((cpu.user + cpu.system) / 1000 / txs) * 1000);
      f.wall.push((wall * 1000) / txs);
      f.off.push(((wall - main) * 1000) / txs);
    }
  }
  if (session && profileDir && round === 0) {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `connect-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  for (const side of sides) {
    side.store.close();
    await side.verifier.close?.();
    rmSync(side.dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f1 = (x: number) => x.toFixed(1);
console.log(
  `load ${loadavg()[0]!.toFixed(1)}, ${rounds} rounds of ${TIMED} timed blocks, grown ${grown}; the process's peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
for (const [i, build] of builds.entries()) {
  const f = figures[i]!;
  console.log(
    `${build.root}: µs a transfer, medians: this thread ${f1(median(f.main))}, process ${f1(median(f.cpu))}, clock ${f1(median(f.wall))}, this thread off-CPU ${f1(median(f.off))}; this thread by block ${f.main.map(f1).join(' ')}`,
  );
}
const [a, b] = figures as [Figures, Figures];
const ratios = (k: keyof Figures) => a[k].map((x, j) => b[k][j]! / x);
for (const k of ['main', 'cpu', 'wall'] as const) {
  const r = ratios(k);
  console.log(
    `${k} new/old: median ${median(r).toFixed(3)}, lower in ${r.filter((x) => x < 1).length} of ${r.length}`,
  );
}
