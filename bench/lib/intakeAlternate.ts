/**
 * Two builds of the intake node side by side, measured alternately (A B A B …) in one window, for
 * a change's before and after on a shared machine:
 *
 *   npx tsx bench/lib/intakeAlternate.ts <rounds> <hex|json>[-batch] <A> <B> [requests a sender]
 *
 * A and B: a compiled intakeNode.js (compiledNode.ts's compileBenchChild; copy its cache folder
 * beside it to keep an old build), or `tsx` for bench/lib/intakeNode.ts under tsx. Both nodes are
 * started, funded and warmed first; then each round runs bench/intake.ts's single POST /api/tx
 * mode (16 clients, one request in flight each), or its batches (`-batch`), on A, then on B. It prints, per run: accepted
 * a second, and CPU a transfer of the node (all threads), its main thread, its two busiest other
 * threads (the verify workers) and the rest; the main loop's busy share; the sleeps (voluntary
 * context switches) a transfer of the main thread and of those two; the load average.
 */
import { loadavg } from 'node:os';
import { newBenchKey } from './ed25519.js';
import {
  BATCH_SIZE,
  checkBatch,
  checkSingle,
  type ModeResult,
  runClients,
  startNodeChild,
} from './intakeClients.js';
import { encodeRequests, fundSenders, type Mode } from './intakeRequests.js';

const SENDERS = 16;
const [roundsArg, kind = '', a, b, requestsArg] = process.argv.slice(2);
const [form, batch] = kind.split('-');
if (!a || !b || (form !== 'hex' && form !== 'json'))
  throw new Error(
    'usage: intakeAlternate.ts <rounds> <hex|json>[-batch] <A.js|tsx> <B.js|tsx> [requests]',
  );
const rounds = Number(roundsArg);
const perRequest = batch === 'batch' ? BATCH_SIZE : 1;
const mode: Mode = {
  name: perRequest === 1 ? `POST /api/tx (${form})` : `/api/tx/batch ×${perRequest} (${form})`,
  form,
  perRequest,
  requests: Number(requestsArg ?? 1_000),
  aim: 0,
};
const warm: Mode = { ...mode, requests: Math.ceil(mode.requests / 10) };
const perSender = (warm.requests + rounds * mode.requests) * perRequest;

/** INTAKE_FLAGS_A, INTAKE_FLAGS_B: node flags for one variant's child (else INTAKE_NODE_FLAGS). */
const shared = process.env.INTAKE_NODE_FLAGS;
const variants = await Promise.all(
  [a, b].map(async (script, i) => {
    const senders = Array.from({ length: SENDERS }, newBenchKey);
    const name = i === 0 ? 'A' : 'B';
    // startNodeChild reads the flags as it spawns, before its first await.
    process.env.INTAKE_NODE_FLAGS = process.env[`INTAKE_FLAGS_${name}`] ?? shared ?? '';
    const started = startNodeChild(
      script === 'tsx' ? undefined : script,
      SENDERS * perSender + 1_000,
    );
    process.env.INTAKE_NODE_FLAGS = shared ?? '';
    return { name, node: await started, senders, nonce: 0n, runs: [] as ModeResult[] };
  }),
);
const run = async (v: (typeof variants)[number], m: Mode) => {
  const requests = encodeRequests(v.node, m, v.nonce, v.senders);
  v.nonce += BigInt(m.requests * m.perRequest);
  const result = await runClients(
    v.node,
    requests,
    m.perRequest,
    m.perRequest === 1 ? checkSingle : checkBatch,
  );
  if (result.failures.total > 0) throw new Error(`${v.name}: ${result.failures.total} refused`);
  return result;
};
const us = (ms: number, n: number) => ((1000 * ms) / n).toFixed(0).padStart(4);
const row = (name: string, r: ModeResult) => {
  const others = Object.entries(r.threadsMs)
    .filter(([thread]) => thread !== 'main')
    .sort(([, x], [, y]) => y - x);
  const workers = (others[0]?.[1] ?? 0) + (others[1]?.[1] ?? 0);
  const rest = others.slice(2).reduce((x, [, y]) => x + y, 0);
  // Sleeps (voluntary context switches) a transfer: each one a wake-up by another thread.
  const sleeps = (names: string[]) =>
    (names.reduce((n, name) => n + (r.threadSleeps[name] ?? 0), 0) / r.accepted).toFixed(2);
  const workerNames = others.slice(0, 2).map(([name]) => name);
  const n = r.accepted;
  return `${name} ${Math.round(n / r.seconds)
    .toString()
    .padStart(
      6,
    )}/s  node ${us(r.nodeCpuMs, n)} µs  main ${us(r.threadsMs.main ?? 0, n)}  workers ${us(workers, n)}  rest ${us(rest, n)}  loop ${(100 * r.nodeElu).toFixed(0)}%  sleeps/tx main ${sleeps(['main'])} workers ${sleeps(workerNames)}  generator ${us(r.benchCpuMs, n)}  gc ${r.gc ? `${r.gc.young}/${r.gc.full} young ${r.gc.youngMb} MB` : '-'}  load ${loadavg()[0]!.toFixed(1)}`;
};
/** The threads `row` sums as "rest", each by name (its id dropped) with its µs a transfer. */
const restByName = (r: ModeResult) => {
  const others = Object.entries(r.threadsMs)
    .filter(([thread]) => thread !== 'main')
    .sort(([, x], [, y]) => y - x)
    .slice(2);
  const byName = new Map<string, number>();
  for (const [thread, ms] of others) {
    const name = thread.replace(/ \d+$/, '');
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  return [...byName]
    .sort(([, x], [, y]) => y - x)
    .map(([name, ms]) => `${name} ${us(ms, r.accepted).trim()}`)
    .join(', ');
};
try {
  for (const v of variants) {
    await fundSenders(v.node, v.senders);
    await run(v, warm);
  }
  for (let round = 0; round < rounds; round++) {
    for (const v of variants) {
      const result = await run(v, mode);
      v.runs.push(result);
      process.stdout.write(`${row(v.name, result)}\n`);
      // INTAKE_THREADS=1: the threads beyond main and the two busiest, by name, µs a transfer.
      if (process.env.INTAKE_THREADS === '1') process.stdout.write(`    ${restByName(result)}\n`);
    }
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  for (const v of variants) {
    const rate = median(v.runs.map((r) => r.accepted / r.seconds));
    const node = median(v.runs.map((r) => (1000 * r.nodeCpuMs) / r.accepted));
    const main = median(v.runs.map((r) => (1000 * (r.threadsMs.main ?? 0)) / r.accepted));
    process.stdout.write(
      `${v.name} medians: ${Math.round(rate)}/s, node ${node.toFixed(0)} µs, main ${main.toFixed(0)} µs a transfer\n`,
    );
  }
} finally {
  await Promise.all(variants.map((v) => v.node.close()));
}
