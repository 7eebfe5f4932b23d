/**
 * How long a switch deeper than the undo window holds the node's event loop: a Chain on SQLite
 * (signatures taken as checked: trustVerified, they run on other threads anyway) with `blocks`
 * blocks of `transfers` transfers (senders round robin, each paying a new key), handed a heavier
 * branch forking `depth` blocks below its tip. While its last block makes the switch, an HTTP
 * server in the process answers the tip's height to a client on another thread (a worker) asking
 * every 10 ms, and a 5 ms timer measures the event loop's gaps. Printed per switch: its wall and
 * CPU time, the longest gap, the client's answers during the switch (count, slowest) and the
 * heights they gave (only the old tip's or the new one's are right).
 *
 *   npx tsx bench/lib/deepSwitchPause.ts <blocks> <transfers> <window> <snapshotEvery> <depths>
 *     <rounds> [otherTree]
 * builds the chain once (with both branches), then for each depth runs the switch `rounds`
 * times in a fresh process on a copy of the file, alternating this tree's code with
 * `otherTree`'s (a checkout with this file copied into its bench/lib), if given.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Chain } from '../../src/chain/chain.js';
import {
  type Block,
  buildBlockTemplate,
  decodeBlock,
  encodeBlock,
  hashHeader,
  solveBlock,
} from '../../src/core/index.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import { easyParams as params } from '../../test/support/chainBuilder.js';
import {
  blockTransfers,
  clonePayer,
  funder,
  keyOf,
  newPayer,
  type Payer,
} from './roundRobinTransfers.js';

function nextBlock(parent: Block, payer: Payer, transfers: number, branch: number): Block {
  const height = parent.header.height + 1;
  const txs = blockTransfers(params, height, payer, transfers, branch * 100_000_000);
  const template = buildBlockTemplate({
    params,
    parentHash: hashHeader(parent.header),
    height,
    bits: params.genesisBits,
    timestampMs: parent.header.timestampMs + 1000,
    minerKey: height === 1 ? funder : keyOf(3_000_000_000 + branch),
    selection: { txs, fees: BigInt(txs.length) },
  });
  return solveBlock(template)!;
}

const now = () => Date.now() + 10 * 365 * 86_400_000;
async function open(file: string, window: number, every: number) {
  const store = openSqliteStore(file, { undoBlocks: window, snapshotBlocks: every });
  const chain = await Chain.open({ params, store, verifier: createNodeVerifier(), now });
  // Signatures are zeros, taken as checked: they are checked on other threads anyway.
  chain.trustVerified(() => true);
  return { chain, store };
}

function writeBlocks(file: string, blocks: Block[]): void {
  writeFileSync(
    file,
    JSON.stringify(blocks.map((b) => Buffer.from(encodeBlock(b)).toString('base64'))),
  );
}
function readBlocks(file: string): Block[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as string[]).map((b64) => {
    const decoded = decodeBlock(new Uint8Array(Buffer.from(b64, 'base64')));
    if (!decoded.ok) throw new Error('a branch block does not decode');
    return decoded.value;
  });
}

async function build(
  dir: string,
  blocks: number,
  transfers: number,
  window: number,
  every: number,
  depths: number[],
) {
  const { chain, store } = await open(join(dir, 'built.sqlite'), window, every);
  const payer = newPayer();
  const main: Block[] = [chain.getBlock(chain.tip)];
  const forks = new Map<number, Payer>();
  for (let h = 1; h <= blocks; h++) {
    if (depths.includes(blocks - (h - 1))) forks.set(blocks - (h - 1), clonePayer(payer));
    const block = nextBlock(main.at(-1)!, payer, transfers, 0);
    const added = await chain.addBlock(block);
    if (!added.ok) throw new Error(`block ${h}: ${added.code} ${added.detail}`);
    main.push(block);
  }
  for (const depth of depths) {
    const p = clonePayer(forks.get(depth)!);
    const branch: Block[] = [main[blocks - depth]!];
    for (let i = 0; i <= depth; i++) branch.push(nextBlock(branch.at(-1)!, p, transfers, depth));
    writeBlocks(join(dir, `branch-${depth}.json`), branch.slice(1));
  }
  store.close();
}

async function runSwitch(dir: string, depth: number, window: number, every: number) {
  const file = join(dir, `run-${process.pid}.sqlite`);
  copyFileSync(join(dir, 'built.sqlite'), file);
  if (existsSync(join(dir, 'built.sqlite-wal')))
    copyFileSync(join(dir, 'built.sqlite-wal'), `${file}-wal`);
  const { chain, store } = await open(file, window, every);
  const branch = readBlocks(join(dir, `branch-${depth}.json`));
  for (const block of branch.slice(0, -1)) {
    const added = await chain.addBlock(block);
    if (!added.ok || added.value.status !== 'side') throw new Error('a branch block not side');
  }
  const oldHeight = chain.tip.header.height;
  const server = createServer((_req, res) => {
    res.end(`${chain.tip.header.height}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const seen = []; let stop = false;
     parentPort.on('message', () => { stop = true; });
     (async () => {
       while (!stop) {
         const t0 = performance.timeOrigin + performance.now();
         // A keep-alive connection the server closed meanwhile: -1, asked again.
         const height = await fetch('http://127.0.0.1:${port}/').then(
           async (r) => Number(await r.text()), () => -1);
         seen.push([t0, performance.timeOrigin + performance.now() - t0, height]);
         await new Promise((r) => setTimeout(r, 10));
       }
       parentPort.postMessage(seen);
     })();`,
    { eval: true },
  );
  await new Promise((r) => setTimeout(r, 300));
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
  }, 5);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const added = await chain.addBlock(branch.at(-1)!);
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  clearInterval(timer);
  maxGap = Math.max(maxGap, t1 - last);
  if (!added.ok || added.value.status !== 'connected') throw new Error('the switch did not happen');
  await new Promise((r) => setTimeout(r, 100));
  const seen = await new Promise<[number, number, number][]>((r) => {
    client.once('message', r);
    client.postMessage('stop');
  });
  await client.terminate();
  server.close();
  const t0Abs = performance.timeOrigin + t0;
  const t1Abs = performance.timeOrigin + t1;
  // The worker's clock has its own origin: absolute times on both sides.
  const during = seen.filter(([at]) => at >= t0Abs && at <= t1Abs);
  const heights = [...new Set(seen.map(([, , h]) => h).filter((h) => h >= 0))];
  const resets = seen.filter(([, , h]) => h < 0).length;
  const wrong = heights.filter((h) => h !== oldHeight && h !== chain.tip.header.height);
  console.log(
    JSON.stringify({
      depth,
      wallMs: Math.round(t1 - t0),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      maxGapMs: Math.round(maxGap),
      answersDuring: during.length,
      slowestMs: Math.round(Math.max(0, ...seen.map(([, ms]) => ms))),
      heights,
      wrong,
      resets,
      load: Number(loadavg()[0]!.toFixed(1)),
    }),
  );
  store.close();
  for (const ext of ['', '-wal', '-shm']) rmSync(file + ext, { force: true });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'switch') {
  const [dir, depth, window, every] = args;
  await runSwitch(dir!, Number(depth), Number(window), Number(every));
  process.exit(0);
} else {
  const [blocks, transfers, window, every, depthList, rounds, other] = [mode, ...args];
  const depths = depthList!.split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'deep-switch-'));
  const b0 = performance.now();
  await build(dir, Number(blocks), Number(transfers), Number(window), Number(every), depths);
  console.log(
    `built ${blocks} blocks of ${transfers} transfers in ${((performance.now() - b0) / 1000).toFixed(0)} s, window ${window}, a copy every ${every}; load ${loadavg()[0]!.toFixed(1)}`,
  );
  const trees = [resolve('.'), ...(other ? [resolve(other)] : [])];
  for (const depth of depths)
    for (let round = 0; round < Number(rounds); round++)
      for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) {
        const run = spawnSync(
          'npx',
          [
            'tsx',
            join(tree, 'bench/lib/deepSwitchPause.ts'),
            'switch',
            dir,
            `${depth}`,
            window!,
            every!,
          ],
          { cwd: tree, encoding: 'utf8' },
        );
        const line = run.stdout.trim().split('\n').at(-1);
        console.log(`${tree === trees[0] ? 'this ' : 'other'} ${line ?? run.stderr}`);
        if (run.status !== 0) console.log(run.stderr.slice(-2000));
      }
  rmSync(dir, { recursive: true, force: true });
}
