/**
 * bench/connect.ts's memory part: in fresh processes (bench/lib/connectMemory.ts, compiled),
 * 10,000 small blocks connected into SQLite with the process's resident memory before, during
 * and after; the store reopened by Chain.open alone and by a whole node; and the time a node's
 * first start takes to convert a data directory of the previous index layout (issue 13, aim 5,
 * and the storage conversion's cost).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConversionTime } from './conversionTime.js';
import { printAim } from './report.js';

const MEMORY_BLOCKS = 10_000;
const MEMORY_AIM_MB = 150;

/**
 * bench/lib/connectMemory.ts and what it imports, compiled by tsc under node_modules/.cache (so
 * that packages resolve), to run on plain node. PERF: under tsx a process starts at 72 MB
 * instead of 44 (its loader runs on a thread of its own, with its own V8 heap): the 10,000-block
 * store reopened at 151 MB under tsx, 126 MB as compiled JavaScript, which is what a node runs.
 */
function compileMemoryChild(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const outDir = join(root, 'node_modules', '.cache', 'blockyard-bench-memory');
  rmSync(outDir, { recursive: true, force: true });
  // The strict options of tsconfig.json, for this one entry point and what it imports.
  const options =
    '--module nodenext --moduleResolution nodenext --target es2022 --lib es2022 --strict --noUncheckedIndexedAccess --exactOptionalPropertyTypes --verbatimModuleSyntax --skipLibCheck --types node --resolveJsonModule';
  const built = spawnSync(
    'npx',
    [
      'tsc',
      ...options.split(' '),
      '--rootDir',
      '.',
      '--outDir',
      outDir,
      'bench/lib/connectMemory.ts',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error('tsc could not compile bench/lib/connectMemory.ts');
  // What a node reads beside its code: its version, and the miner's kernels (planned at start).
  copyFileSync(join(root, 'package.json'), join(outDir, 'package.json'));
  symlinkSync(join(root, 'kernels'), join(outDir, 'kernels'));
  return join(outDir, 'bench', 'lib', 'connectMemory.js');
}

/** Runs the compiled connectMemory in a fresh process; its last line of output, parsed. */
function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`connectMemory.ts ${args[0]} exited with ${code}`));
      else resolve(JSON.parse(text.trim().split('\n').at(-1)!) as T);
    });
  });
}

interface BuildReport {
  readonly blocks: number;
  readonly transfers: number;
  readonly seconds: number;
  /** RSS in MB: of the process as started (plain node), before blockyard's modules. */
  readonly rssBareMb: number;
  /** RSS in MB: after start (modules loaded, store open), at each checkpoint, at the end. */
  readonly rssStartMb: number;
  readonly checkpoints: readonly { blocks: number; rssMb: number; heapMb: number }[];
  readonly rssEndMb: number;
  readonly heapEndMb: number;
  readonly dbMb: number;
}

interface MemoryReport extends BuildReport {
  readonly reopen: { rssMb: number; seconds: number };
  readonly node: { rssStartedMb: number; rssIdleMb: number; idleS: number; seconds: number };
  readonly convert: {
    store: ConversionTime;
    full: ConversionTime & { blocks: number; perBlock: number };
  };
}

/** Connects `blocks` small blocks in one fresh process, then reopens the store in others. */
async function measureMemory(blocks: number): Promise<MemoryReport> {
  const script = compileMemoryChild();
  const memoryDir = mkdtempSync(join(tmpdir(), 'blockyard-memory-'));
  try {
    const built = await runChild<BuildReport>(script, ['build', memoryDir, String(blocks)]);
    const reopen = await runChild<MemoryReport['reopen']>(script, ['open', memoryDir]);
    const node = await runChild<MemoryReport['node']>(script, ['node', memoryDir]);
    const convert = await runChild<MemoryReport['convert']>(script, ['convert', memoryDir]);
    return { ...built, reopen, node, convert };
  } finally {
    rmSync(memoryDir, { recursive: true, force: true });
  }
}

export async function benchMemory(out: (...cells: string[]) => void): Promise<void> {
  const memory = await measureMemory(MEMORY_BLOCKS);
  const mb = (n: number): string => `${n.toFixed(0)} MB`;
  const count = (n: number): string => n.toLocaleString('en-US');
  const s = (ms: number): string =>
    ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
  out(
    `memory: ${count(memory.blocks)} blocks (${count(memory.transfers)} transfers) connected into SQLite in ${memory.seconds.toFixed(1)} s, in a fresh process`,
  );
  out('', 'RSS', 'heap', 'aim');
  out('process started (node)', mb(memory.rssBareMb));
  out('modules loaded, store open', mb(memory.rssStartMb));
  for (const c of memory.checkpoints) {
    out(`after ${count(c.blocks)} blocks`, mb(c.rssMb), mb(c.heapMb));
  }
  out(
    `after ${count(memory.blocks)} blocks`,
    mb(memory.rssEndMb),
    mb(memory.heapEndMb),
    `< ${MEMORY_AIM_MB} MB`,
  );
  out(
    'reopened, Chain.open alone',
    mb(memory.reopen.rssMb),
    '',
    `< ${MEMORY_AIM_MB} MB`,
    `Chain.open took ${memory.reopen.seconds.toFixed(1)} s; the database is ${mb(memory.dbMb)}`,
  );
  out(
    'reopened, a whole node',
    mb(memory.node.rssStartedMb),
    '',
    `< ${MEMORY_AIM_MB} MB`,
    `createNode took ${memory.node.seconds.toFixed(1)} s; ${mb(memory.node.rssIdleMb)} after ${memory.node.idleS} s idle`,
  );
  out();
  const { store, full } = memory.convert;
  const rate = (c: ConversionTime) => (c.txs + c.history) / (c.convertMs / 1000);
  out('converting the previous index layout at open (one SQL transaction):');
  out(
    `  this store: ${count(store.txs)} txs + ${count(store.history)} history rows in ${s(store.convertMs)} (${count(Math.round(rate(store)))} rows/s)`,
  );
  out(
    `  ${full.blocks} full blocks (${count(full.perBlock)} transfers each): ${count(full.txs)} txs + ${count(full.history)} history rows in ${s(full.convertMs)} (${count(Math.round(rate(full)))} rows/s, file ${mb(full.fileMb)})`,
  );
  out(
    `  at that rate, ${count(MEMORY_BLOCKS)} full blocks would take ${s((full.convertMs / full.blocks) * MEMORY_BLOCKS)}: the node logs each step`,
  );
  out();
  const peak = Math.max(memory.rssEndMb, ...memory.checkpoints.map((c) => c.rssMb));
  for (const [name, figure] of [
    [`connecting ${count(memory.blocks)} blocks, highest checkpoint`, peak],
    [`${count(memory.blocks)} blocks reopened (Chain.open)`, memory.reopen.rssMb],
    [`${count(memory.blocks)} blocks reopened by a whole node`, memory.node.rssStartedMb],
  ] as const) {
    printAim({
      name: `5 resident memory ${name}`,
      figure: mb(figure),
      reference: `node as started ${mb(memory.rssBareMb)}`,
      ratio: `${(figure / memory.rssBareMb).toFixed(2)}×`,
      target: `< ${MEMORY_AIM_MB} MB`,
      met: figure < MEMORY_AIM_MB,
    });
  }
}

/** What the memory part measures, for the bench's closing text. */
export const memoryPartText = `Memory: a fresh process connects ${count(MEMORY_BLOCKS)} blocks of a few transfers each into a new SQLite store
and reports process.memoryUsage().rss; then fresh processes open that store: Chain.open alone, and a
whole node (createNode), V8's young generation held while they load as src/cli/main.ts holds it
for a node's start; then a copy of it, and the index rows of full blocks (written straight into
the previous layout's tables, keys ascending), are converted from the previous index layout.
All run bench/lib/connectMemory.ts compiled by tsc, on plain node, as the node runs (not under tsx).`;

function count(n: number): string {
  return n.toLocaleString('en-US');
}
