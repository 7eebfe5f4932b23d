/**
 * The memory half of bench/connect.ts, in a fresh process so that nothing else is resident:
 *
 *   node connectMemory.js build <dir> <blocks>   (compiled by bench/connect.ts; tsx would add its
 *                                                 loader's 28 MB to every figure)
 *     connects <blocks> blocks of a few transfers each into a new SQLite store in <dir>, one at a
 *     time as a node receives them (each built just before it is added, so the process holds
 *     no more than the node would), and prints the RSS at start, at checkpoints and at the end;
 *   node connectMemory.js open <dir>
 *     opens that store with Chain.open, as a restarted node does (V8's young generation held
 *     while it loads, as src/cli/main.ts holds it while a node starts), and prints its RSS;
 *   node connectMemory.js node <dir>
 *     starts a whole node on it (createNode: the API, the network, the mempool), held the same
 *     way, and prints its RSS once started and after IDLE_MS idle;
 *   node connectMemory.js convert <dir>
 *     times the conversion from the previous index layout (bench/lib/conversionTime.ts) on a
 *     copy of that store, and on the index rows of FULL_BLOCKS full blocks.
 *
 * The last line on stdout is the JSON report.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Transfer } from '../../src/core/index.js';
import type { BenchKey } from './ed25519.js';

// The process as started, before blockyard's modules are loaded.
const rssBareMb = process.memoryUsage().rss / 1024 / 1024;
const { Chain } = await import('../../src/chain/chain.js');
const { blockSubsidy } = await import('../../src/core/index.js');
const { createNodeVerifier } = await import('../../src/crypto/nodeEd25519.js');
const { openSqliteStore } = await import('../../src/storage/sqliteStore.js');
const { easyParams } = await import('../../test/support/chainBuilder.js');
const { BlockMaker } = await import('./blockMaker.js');
const { holdYoungGeneration } = await import('../../src/cli/youngGeneration.js');
const { newBenchKey, payEach, signWith } = await import('./ed25519.js');

const SENDERS = 64;
const TRANSFERS_PER_BLOCK = 4;
const CHECKPOINT_EVERY = 2_500;
/** How long the whole node is left idle before its RSS is sampled again. */
const IDLE_MS = 20_000;
const FULL_BLOCKS = 100;
const FEE = 1n;
const params = easyParams;
const mb = (bytes: number) => bytes / 1024 / 1024;

const [mode, dir, blocksArg] = process.argv.slice(2);
if (!['build', 'open', 'node', 'convert'].includes(mode ?? '') || !dir) {
  throw new Error('usage: connectMemory.ts build <dir> <blocks> | open|node|convert <dir>');
}
// Where a node with --data-dir <dir> keeps the chain.
const path = join(dir, params.name, 'chain.sqlite');
const say = (report: object) => process.stdout.write(`${JSON.stringify(report)}\n`);

if (mode === 'open') {
  const release = holdYoungGeneration();
  const started = performance.now();
  const store = openSqliteStore(path);
  const chain = await Chain.open({ params, store, verifier: createNodeVerifier(), now: Date.now });
  const seconds = (performance.now() - started) / 1000;
  release();
  const rssMb = mb(process.memoryUsage().rss);
  const height = chain.tip.header.height;
  say({ rssMb, rssBareMb, seconds, height });
  store.close();
} else if (mode === 'node') {
  const release = holdYoungGeneration();
  const { createNode } = await import('../../src/node/createNode.js');
  const started = performance.now();
  const node = await createNode({ params, dataDir: dir, host: '127.0.0.1', port: 0 });
  const seconds = (performance.now() - started) / 1000;
  release();
  const rssStartedMb = mb(process.memoryUsage().rss);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const rssIdleMb = mb(process.memoryUsage().rss);
  const height = node.chain.tip.header.height;
  await node.close();
  say({ rssStartedMb, rssIdleMb, idleS: IDLE_MS / 1000, seconds, height });
} else if (mode === 'convert') {
  const { convertCopy, convertFullBlocks } = await import('./conversionTime.js');
  const { maxTransfersPerBlock } = await import('../../src/core/index.js');
  const perBlock = maxTransfersPerBlock(params.maxBlockBytes);
  say({
    store: convertCopy(path),
    full: { blocks: FULL_BLOCKS, perBlock, ...convertFullBlocks(dir, FULL_BLOCKS, perBlock) },
  });
} else {
  const blocks = Number(blocksArg);
  mkdirSync(join(dir, params.name));
  const store = openSqliteStore(path);
  const chain = await Chain.open({ params, store, verifier: createNodeVerifier(), now: Date.now });
  const root = newBenchKey();
  const senders: BenchKey[] = Array.from({ length: SENDERS }, newBenchKey);
  const nonces = senders.map(() => 0n);
  const maker = new BlockMaker(params, randomBytes(32));
  const rssStartMb = mb(process.memoryUsage().rss);
  const checkpoints: { blocks: number; rssMb: number; heapMb: number }[] = [];
  const started = performance.now();
  let transfers = 0;

  const add = async (txs: readonly Transfer[], minerKey?: Uint8Array) => {
    const block = maker.next(txs, minerKey);
    const outcome = await chain.addBlock(block);
    if (!outcome.ok || outcome.value.status !== 'connected') {
      throw new Error(`block ${block.header.height} did not connect: ${JSON.stringify(outcome)}`);
    }
    transfers += txs.length;
  };
  // Block 1 pays the root; block 2 shares it among the senders; then each block has a few
  // transfers from them in turn, to new addresses.
  await add([], root.publicKey);
  const share = blockSubsidy(params, 1) / BigInt(SENDERS) - FEE;
  await add(payEach(root, senders, share, FEE, params.chainId));
  let next = 0;
  while (maker.height < blocks) {
    const txs = Array.from({ length: TRANSFERS_PER_BLOCK }, () => {
      const i = next++ % SENDERS;
      const nonce = nonces[i]!;
      nonces[i] = nonce + 1n;
      return signWith(senders[i]!, {
        type: 'transfer',
        chainId: params.chainId,
        from: senders[i]!.publicKey,
        to: randomBytes(32),
        amount: 1n,
        fee: FEE,
        nonce,
      });
    });
    await add(txs);
    if (maker.height % CHECKPOINT_EVERY === 0) {
      const usage = process.memoryUsage();
      checkpoints.push({ blocks: maker.height, rssMb: mb(usage.rss), heapMb: mb(usage.heapUsed) });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const usage = process.memoryUsage();
  store.close();
  let dbBytes = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      dbBytes += statSync(file).size;
    } catch {
      // no WAL left after close
    }
  }
  say({
    blocks,
    transfers,
    rssBareMb,
    seconds,
    rssStartMb,
    checkpoints,
    rssEndMb: mb(usage.rss),
    heapEndMb: mb(usage.heapUsed),
    dbMb: mb(dbBytes),
  });
}
