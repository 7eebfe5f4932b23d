/**
 * Block connect, side by side in one run: the machine's Ed25519 verify rate on every core (the
 * limit: a block's signatures, not pre-verified by a mempool, are all checked when it connects),
 * then full blocks (maxTransfersPerBlock transfers, every one from a different sender) added to a
 * Chain on a SQLite store in a temporary directory, with where the time goes, and the same blocks,
 * alternated with them, on a store grown as GROWN_BLOCKS full blocks would have grown it
 * (bench/lib/grownStore.ts); then its memory
 * part (bench/lib/connectMemoryPart.ts): 10,000 small blocks connected into SQLite in a fresh
 * process, the resident memory before and after against issue 13's aim of < 150 MB, and the
 * time the previous index layout takes to convert.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../src/chain/chain.js';
import {
  type Block,
  blockSubsidy,
  checkBlock,
  hashTx,
  maxTransfersPerBlock,
  type Transfer,
} from '../src/core/index.js';
import { createNodeVerifier, type NodeVerifier } from '../src/crypto/nodeEd25519.js';
import { signaturesOnWorkers } from '../src/crypto/signatureWorkers.js';
import { openSqliteStore } from '../src/storage/sqliteStore.js';
import type { ChainStore } from '../src/storage/types.js';
import { easyParams } from '../test/support/chainBuilder.js';
import { BlockMaker } from './lib/blockMaker.js';
import { benchMemory, memoryPartText } from './lib/connectMemoryPart.js';
import { type BenchKey, newBenchKey, payEach, transferToNewAddress } from './lib/ed25519.js';
import { growStore } from './lib/grownStore.js';
import { assertOnWorkers, transfersForWorkers } from './lib/onWorkers.js';
import { printAim } from './lib/report.js';
import { busiestAndRest, mainThreadCpuMs, threadsCpuDelta, threadsCpuMs } from './lib/threadCpu.js';
import { cpuShare, spreadText, startVerifyReference } from './lib/verifyReference.js';

/** Full blocks timed, after one more that imports every sender's key into the verifier's cache. */
const TIMED_BLOCKS = 6;
/** Reference slices before each timed block and after the last (verifyReference.ts). */
const SLICES_BETWEEN = 2;
/**
 * The grown chain's length in full blocks: index rows and accounts as many (issue 13: a long
 * chain's connect used to cost 3–6 times a fresh one's, bench/lib/indexGrowth.ts).
 * NOTE: what it still costs more than a fresh chain is mostly the accounts table (the state, at
 * random keys: every connect rewrites the pages of its senders and new recipients). Connect
 * writes, this thread's CPU a transfer, stores grown as 60 full blocks with and without their
 * 382,080 accounts, alternated (storeAlternate.ts's loop, grownStore's `accounts`, load 15–18):
 * 15.4 µs against 10.9 (medians 14.1, 9.4); fresh stores 8.1.
 */
const GROWN_BLOCKS = 60;
const FEE = 1n;

const params = easyParams;
const cores = availableParallelism();
const perBlock = maxTransfersPerBlock(params.maxBlockBytes);
const load = (): string => loadavg()[0]!.toFixed(1);
const WIDTHS = [27, 5, 8, 9, 8, 11, 10, 8, 8, 8, 10];
const out = (...cells: string[]): void => {
  const line = cells.map((cell, i) => cell.padEnd(WIDTHS[i] ?? 0)).join(' ');
  process.stdout.write(`${line.trimEnd()}\n`);
};
const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`;
const ms = (n: number): string => `${n.toFixed(0)} ms`;

/**
 * Where one addBlock's time went, by the clock. The signatures are checked on other cores while
 * this thread applies the block (account reads and the state transition): what this thread does
 * meanwhile is `overlapped`, and adds to the connect time only if it outlasts the signatures.
 */
interface Phases {
  /** From the first signature handed to the workers or the thread pool to the last answer. */
  signatures: number;
  /** saveBlock (the body in its own SQL transaction) and getBlock (a block read back, decoded). */
  saveAndRead: number;
  /** Account reads while applying the block. */
  accountReads: number;
  /** connectBlock: state, undo, indexes in one SQL transaction. */
  connectWrite: number;
  /** The part of the three above done while signatures were being checked. */
  overlapped: number;
}

const phases: Phases = {
  signatures: 0,
  saveAndRead: 0,
  accountReads: 0,
  connectWrite: 0,
  overlapped: 0,
};
let firstSignatureAt: number | undefined;
let lastSignatureAt = 0;
/** Signature checks handed out and not answered yet. */
let checking = 0;

function timed<A extends unknown[], R>(
  field: Exclude<keyof Phases, 'overlapped'>,
  f: (...args: A) => R,
) {
  return (...args: A): R => {
    const started = performance.now();
    const during = checking > 0;
    try {
      return f(...args);
    } finally {
      const spent = performance.now() - started;
      phases[field] += spent;
      if (during) phases.overlapped += spent;
    }
  };
}

/** Times a signature check from hand-off to answer. */
function timedCheck<T>(check: () => Promise<T>): Promise<T> {
  firstSignatureAt ??= performance.now();
  checking++;
  return check().finally(() => {
    checking--;
    lastSignatureAt = performance.now();
  });
}

/** The store and verifier the chain uses, with a stopwatch on each phase. */
function instrument(store: ChainStore, inner: NodeVerifier): [ChainStore, NodeVerifier] {
  const timedStore: ChainStore = {
    ...store,
    saveBlock: timed('saveAndRead', store.saveBlock),
    getBlock: timed('saveAndRead', store.getBlock),
    getAccount: timed('accountReads', store.getAccount),
    connectBlock: timed('connectWrite', store.connectBlock),
    ...(store.connectTentatively && {
      connectTentatively: timed('connectWrite', store.connectTentatively),
    }),
  };
  const verifier: NodeVerifier = {
    verify: inner.verify,
    verifyAsync: (key, message, signature) =>
      timedCheck(() => inner.verifyAsync(key, message, signature)),
    verifyBlock: (bytes, job) => timedCheck(() => inner.verifyBlock!(bytes, job)),
    verifyAt: (bytes, offsets) => timedCheck(() => inner.verifyAt!(bytes, offsets)),
  };
  return [timedStore, verifier];
}

/** Adds a block, checks it connected, and returns its clock time and phases. */
async function connect(
  chain: Chain,
  block: Block,
): Promise<{
  total: number;
  cpu: number;
  mainCpu: number | undefined;
  threads: [number, number][];
  /** Threads started during the connect (a worker started again), still there at its end. */
  started: number;
  /** Signatures the worker threads answered for during the connect (signaturesOnWorkers). */
  onWorkers: number;
  phases: Phases;
}> {
  phases.signatures = phases.saveAndRead = phases.accountReads = phases.connectWrite = 0;
  phases.overlapped = 0;
  firstSignatureAt = undefined;
  const mainBefore = mainThreadCpuMs();
  const threadsBefore = threadsCpuMs();
  const cpuBefore = process.cpuUsage();
  const onWorkersBefore = signaturesOnWorkers();
  const started = performance.now();
  const outcome = await chain.addBlock(block);
  const total = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpuBefore);
  const onWorkers = signaturesOnWorkers() - onWorkersBefore;
  const mainAfter = mainThreadCpuMs();
  const threadsAfter = threadsCpuMs();
  const threads = threadsCpuDelta(threadsBefore, threadsAfter);
  const threadsStarted = [...threadsAfter.keys()].filter((tid) => !threadsBefore.has(tid)).length;
  const mainCpu =
    mainBefore === undefined || mainAfter === undefined ? undefined : mainAfter - mainBefore;
  if (!outcome.ok || outcome.value.status !== 'connected') {
    throw new Error(`block ${block.header.height} did not connect: ${JSON.stringify(outcome)}`);
  }
  if (firstSignatureAt !== undefined) phases.signatures = lastSignatureAt - firstSignatureAt;
  const cpu = (cpuUsed.user + cpuUsed.system) / 1000;
  assertOnWorkers(`block ${block.header.height}`, onWorkers, transfersForWorkers([block]));
  return {
    total,
    cpu,
    mainCpu,
    threads,
    started: threadsStarted,
    onWorkers,
    phases: { ...phases },
  };
}

out(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, node ${process.version}`);
out(`load average at start: ${load()}`);
out();

/** Part (a): full blocks. */
async function benchFullBlocks(): Promise<void> {
  // The reference's keys and workers are made first; its slices are taken between the blocks.
  const reference = await startVerifyReference();

  // Senders: one per transfer of a full block. Block 1 pays the root, block 2 (full, one sender)
  // pays every sender; each later block has one transfer of each sender, to a new address.
  const prepStarted = performance.now();
  const root = newBenchKey();
  const senders: BenchKey[] = Array.from({ length: perBlock }, newBenchKey);
  const maker = new BlockMaker(params, randomBytes(32));
  const funding: Block[] = [maker.next([], root.publicKey)];
  const share = blockSubsidy(params, 1) / BigInt(perBlock) - FEE;
  funding.push(maker.next(payEach(root, senders, share, FEE, params.chainId)));
  const spreading: Block[] = [];
  for (let b = 0; b <= TIMED_BLOCKS; b++) {
    const transfers: Transfer[] = senders.map((sender) =>
      transferToNewAddress(sender, BigInt(b), FEE, params.chainId),
    );
    spreading.push(maker.next(transfers));
  }
  const prepSeconds = (performance.now() - prepStarted) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'blockyard-connect-'));
  type Row = { name: string; txs: number } & Awaited<ReturnType<typeof connect>>;
  const rows: Row[] = [];
  const grownRows: Row[] = [];
  let growSeconds = 0;
  let checkMs = 0;
  let hashMs = 0;
  // NOTE: the chain's second worker stays up between the blocks, as it does in a sync or a load
  // of blocks back to back: the reference's slices between two blocks (2–4 s) outlast its
  // EXTRA_IDLE_MS, so without this each timed block started it again (under tsx with a loader
  // thread of its own, 100–150 ms of CPU). Old and new alternated 2 rounds (this file, load
  // 9–15): CPU a transfer 203, 218 → 175, 151 µs, the verify threads 169, 181 → 141, 122; a
  // verify's CPU in the same runs 147, 161 → 144, 125 µs. "worker starts" below counts them.
  const nodeVerifier = createNodeVerifier(10_000, { extraIdleMs: 24 * 3_600_000 });
  try {
    const [store, verifier] = instrument(openSqliteStore(join(dir, 'chain.sqlite')), nodeVerifier);
    const chain = await Chain.open({ params, store, verifier, now: Date.now });
    const growStarted = performance.now();
    growStore(join(dir, 'grown.sqlite'), GROWN_BLOCKS, perBlock);
    growSeconds = (performance.now() - growStarted) / 1000;
    const [grownStore] = instrument(openSqliteStore(join(dir, 'grown.sqlite')), nodeVerifier);
    const grown = await Chain.open({ params, store: grownStore, verifier, now: Date.now });
    // The same blocks to both chains, the order swapped each block: both see the same load.
    const both = async (b: number, block: Block, name: string) => {
      const order: [Chain, Row[]][] = [
        [chain, rows],
        [grown, grownRows],
      ];
      if (b % 2 === 1) order.reverse();
      for (const [into, list] of order)
        list.push({ name, txs: perBlock, ...(await connect(into, block)) });
    };
    for (const c of [chain, grown]) await connect(c, funding[0]!);
    await both(0, funding[1]!, 'full, 1 sender');
    for (const [b, block] of spreading.entries()) {
      const name = b === 0 ? `full, ${perBlock} new keys` : `full, ${perBlock} senders`;
      if (b > 0) await reference.slices(SLICES_BETWEEN);
      await both(b + 1, block, name);
    }
    grownStore.close();
    await reference.slices(SLICES_BETWEEN);
    // Two of the pure steps on their own, on the last block: checkBlock, and one hashing pass.
    const last = spreading.at(-1)!;
    let started = performance.now();
    if (!checkBlock(last, params).ok) throw new Error('checkBlock failed');
    checkMs = performance.now() - started;
    started = performance.now();
    last.txs.map(hashTx);
    hashMs = performance.now() - started;
    store.close();
  } finally {
    await nodeVerifier.close?.();
    await reference.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const timed_ = rows.slice(2);
  const sum = (f: (r: Row) => number, of = timed_) => of.reduce((n, r) => n + f(r), 0);
  const rate = (sum((r) => r.txs) * 1000) / sum((r) => r.total);

  out(
    '',
    '',
    'connect',
    '',
    'CPU',
    'signatures',
    'SQLite',
    'SQLite',
    'account',
    'other',
    'of which',
  );
  out(
    'block',
    'txs',
    'ms',
    'tx/s',
    'ms',
    `(${cores} cores)`,
    'save/read',
    'connect',
    'reads',
    'JS',
    'overlapped',
  );
  for (const r of rows) {
    const p = r.phases;
    // What this thread did while the signatures were checked took no time of its own.
    const serial = p.saveAndRead + p.accountReads + p.connectWrite - p.overlapped;
    const other = r.total - p.signatures - serial;
    out(
      r.name,
      String(r.txs),
      ms(r.total),
      perSecond((r.txs * 1000) / r.total),
      ms(r.cpu),
      ms(p.signatures),
      ms(p.saveAndRead),
      ms(p.connectWrite),
      ms(p.accountReads),
      ms(other),
      ms(p.overlapped),
    );
  }
  const verify = reference.rates();
  const ofVerify = (rate: number, limit = verify.best.median) =>
    `${((100 * rate) / limit).toFixed(0)}%`;
  const signaturesRate = (sum((r) => r.txs) * 1000) / sum((r) => r.phases.signatures);
  out();
  out('', 'tx/s', `of verify (${cores} cores)`);
  out(
    `Ed25519 verify, ${cores} cores, pool`,
    perSecond(verify.allCores.median),
    ofVerify(verify.allCores.median),
    spreadText(verify.allCores),
  );
  out(
    `Ed25519 verify, ${cores} cores, workers`,
    perSecond(verify.workers.median),
    ofVerify(verify.workers.median),
    spreadText(verify.workers),
  );
  out(
    `connect, ${TIMED_BLOCKS} full blocks`,
    perSecond(rate),
    `${ofVerify(rate)} (${ofVerify(rate, verify.allCores.median)} of the thread pool's)`,
  );
  // NOTE: not a ceiling of the verify path: the signatures are timed while this thread applies
  // and writes the block on the same 2 cores. With nothing else to do, a full block of 6,368
  // senders verifies on the workers as the reference's work does (bench/lib/signaturesAlone.ts,
  // 10 rounds alternated: rate ratio 1.053 at load 13, CPU a signature 81.2 against 81.5 µs;
  // 0.979 at load 15, 78.6 against 82.8 µs). What this line misses of 100 % is this thread's
  // CPU and V8's helper threads' in that window: connect's aim is their CPU a transfer.
  out(`signatures alone`, perSecond(signaturesRate), ofVerify(signaturesRate));
  const txs = sum((r) => r.txs);
  const mainCpu = timed_.every((r) => r.mainCpu !== undefined) ? sum((r) => r.mainCpu!) : undefined;
  const perTx = (ms: number) => `${((1000 * ms) / txs).toFixed(0)} µs`;
  out(
    `CPU a transfer against the reference's CPU a signature: ${cpuShare(verify, (1000 * sum((r) => r.cpu)) / txs)}, steadier than the rate's ratio on a busy machine`,
  );
  out(
    `CPU a transfer, over the ${TIMED_BLOCKS} blocks: ${perTx(sum((r) => r.cpu))} in all` +
      (mainCpu === undefined
        ? ''
        : `; this thread ${perTx(mainCpu)}, the verify threads ${perTx(sum((r) => r.cpu) - mainCpu)}`),
  );
  // By thread (/proc): this one, the two that spent most besides (the verify workers), the rest
  // (V8's platform threads: the collector's helpers; libuv's pool).
  const byThread = new Map<number, number>();
  for (const r of timed_)
    for (const [tid, ms] of r.threads) byThread.set(tid, (byThread.get(tid) ?? 0) + ms);
  const others = [...byThread].filter(([tid]) => tid !== process.pid).map(([, ms]) => ms);
  if (byThread.size > 0) {
    out(
      `CPU a transfer by thread: this ${perTx(byThread.get(process.pid) ?? 0)}; ${busiestAndRest(others, perTx)}; threads started during the timed blocks ${sum((r) => r.started)}; signatures answered on the worker threads ${sum((r) => r.onWorkers)} of ${txs}`,
    );
    // NOTE: the verify threads' excess over a verify is not in the workers' own loop: their two
    // threads against the reference's whole process on its workers way (the same verifyAt) read
    // 89 against 91 µs (load 25); it is the rest, V8's helper threads (the collector's, mostly for
    // this thread's garbage: 9–10 µs a transfer, 3–4 with --single-threaded-gc), and this
    // thread. Not worth a flag: --single-threaded-gc, bench/lib/syncAdd.ts local alternated 4
    // rounds (load 20–30), CPU a transfer 118.9, 114.2, 104.4, 106.8 → 119.6, 104.4, 113.5,
    // 114.9 µs (the collection moves to this thread, it is not saved).
    const verifying = [...others].sort((a, b) => b - a).slice(0, cores);
    out(
      `the ${cores} busiest others together ${perTx(verifying.reduce((n, ms) => n + ms, 0))} a transfer; the reference's workers way ${verify.cpuPerSignatureBy.workers.median.toFixed(0)} µs a signature (min ${verify.cpuPerSignatureBy.workers.min.toFixed(0)}, max ${verify.cpuPerSignatureBy.workers.max.toFixed(0)}), its pool way ${verify.cpuPerSignatureBy.pool.median.toFixed(0)} µs`,
    );
  }
  const grownTimed = grownRows.slice(2);
  const grownRate = (sum((r) => r.txs, grownTimed) * 1000) / sum((r) => r.total, grownTimed);
  const grownMain = grownTimed.every((r) => r.mainCpu !== undefined)
    ? sum((r) => r.mainCpu!, grownTimed)
    : undefined;
  out(
    `connect on a grown chain (${GROWN_BLOCKS} full blocks' index rows and accounts), the same ${TIMED_BLOCKS} blocks alternated`,
  );
  out(
    '',
    perSecond(grownRate),
    `${ofVerify(grownRate)} of verify; SQLite connect ${ms(
      sum((r) => r.phases.connectWrite, grownTimed) / TIMED_BLOCKS,
    )} a block against ${ms(sum((r) => r.phases.connectWrite) / TIMED_BLOCKS)} fresh`,
  );
  out(
    `CPU a transfer on the grown chain: ${perTx(sum((r) => r.cpu, grownTimed))} in all` +
      (grownMain === undefined ? '' : `; this thread ${perTx(grownMain)}`) +
      ` (grown in ${growSeconds.toFixed(1)} s)`,
  );
  printAim({
    name: `block connect on a ${GROWN_BLOCKS}-full-block chain, of the verify rate`,
    figure: perSecond(grownRate),
    reference: perSecond(verify.best.median),
    ratio: ofVerify(grownRate),
    target: '≥ 80%',
    met: grownRate >= 0.8 * verify.best.median,
  });
  out();
  out(
    `pure steps on one full block: checkBlock ${ms(checkMs)}; one hashTx pass over its ${perBlock} transfers ${ms(hashMs)} (a connect hashes them once, in checkBlock)`,
  );
  out(`blocks built (and signed with node:crypto) beforehand in ${prepSeconds.toFixed(1)} s`);
  out();
}

// `bench/connect.ts full` or `bench/connect.ts memory` runs one part only.
const only = process.argv[2];
if (only !== 'memory') await benchFullBlocks();
if (only !== 'full') await benchMemory(out);
out(`load average at end: ${load()} (other processes on the cores lower every figure)`);
out(`
Full blocks: ${perBlock} transfers each (maxTransfersPerBlock of ${params.maxBlockBytes.toLocaleString('en-US')} bytes), each transfer from a
different sender to a new address, added with Chain.addBlock to a Chain on a SQLite store
(WAL, synchronous = FULL) in a temporary directory; no mempool, so every signature is verified
on connect (createNodeVerifier's verifyAt: the block's transfers, by offset, shared among worker
threads, one per core, in parts each takes when free). "full, 1 sender": the block that funds the senders (and starts the workers);
"new keys": the first block from them, whose keys the verifier imports (≈ 5 µs each, as JWK).
connect ms by the clock; CPU ms of the whole process (main thread and the verify threads).
signatures: first handed to the workers to last answered; meanwhile this thread applies the
block (account reads, the state transition): "overlapped" is what it spent in the timed phases
then. SQLite save/read (the block stored in its own SQL transaction; read back only if the switch
needs a block it was not handed), SQLite connect (state, undo, indexes: one SQL transaction),
account reads (while applying; the chain keeps recent accounts in memory); other JS is the rest
not overlapped (checkBlock, encoding the block for the workers, events). "of verify": against the
better of the two verify rates on ${cores} cores (verifyAsync on libuv's thread pool, verifyAt on
the workers; ${(4000).toLocaleString('en-US')} signatures by 64 cached keys), each the median of slices taken in the run, ${SLICES_BETWEEN}
before each timed block and ${SLICES_BETWEEN} after the last (bench/lib/verifyReference.ts; min and max beside it).
The tx/s line is over the ${TIMED_BLOCKS} blocks after "new keys".
${memoryPartText}`);
