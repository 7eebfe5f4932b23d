/**
 * A classroom at scale: 30 nodes, each a `blockyard node` process in its own network namespace
 * at its own address on port 5000 (test/support/classroom.ts), as 30 laptops on one LAN. Node 0
 * is the teacher; each other node names the teacher and one node started before it.
 *
 * (a) Propagation: blocks mined one at a time on random nodes; every node's live event stream
 *     (/api/events) reports when the block connects there, read by this process on one clock.
 *     Per block: the time from the miner's event to the last node's (to all 30), and each
 *     node's own delay. p50 and p95 of both.
 * (b) A split and its heal: the room is cut in halves (15 and 15), both mine, the cut is
 *     healed; the time until all 30 are on one tip.
 * (c) Memory: each node's resident set (VmRSS) after all of it.
 *
 * Measured once the room has settled (its processes idle, as laptops are once their node has
 * started; the wait and the load are printed).
 *
 * Aims (issue 10): p95 to all 30 nodes under 500 ms on these 2 cores; under 150 MB a node, so
 * a laptop runs one beside its browser. Needs root and `ip netns`; says so and skips otherwise.
 * Nothing is asserted.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { classroomUnavailable, Room } from '../test/support/classroom.js';

const NODES = Number(process.env.BLOCKYARD_BENCH_NODES ?? 30);
/** p95 of 30 is the second slowest block, not the slowest of 12 (one stray GC). */
const BLOCKS = 30;
/** Settled: the 30 processes together use less than this share of one core for a second. */
const SETTLED_CORES = 0.25;
const SETTLE_LIMIT_MS = 60_000;
const AIM_P95_MS = 500;
const AIM_RSS_MB = 150;

const unavailable = classroomUnavailable();
if (unavailable) {
  process.stdout.write(`skipped: ${unavailable}\n`);
  process.exit(0);
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const ms = (v: number) => `${Math.round(v)} ms`;

/** CPU time of the nodes' processes so far, in clock ticks (/proc/<pid>/stat utime + stime). */
function cpuTicks(room: Room, nodes: readonly number[]): number {
  let ticks = 0;
  for (const i of nodes) {
    const pid = room.pid(i);
    if (pid === undefined) continue;
    // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/**
 * Waits until the room is idle, as 30 laptops are once their nodes have started: just started,
 * the processes compile their code and V8 shrinks their heaps (8–24 s after start), which on
 * two shared cores delays every block by what the others are doing, not by the network.
 */
async function settle(room: Room, nodes: readonly number[]): Promise<string> {
  const started = performance.now();
  let cores = Number.POSITIVE_INFINITY;
  while (cores >= SETTLED_CORES && performance.now() - started < SETTLE_LIMIT_MS) {
    const before = cpuTicks(room, nodes);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    cores = (cpuTicks(room, nodes) - before) / 100;
  }
  const state = cores < SETTLED_CORES ? 'settled' : 'not settled';
  return `${state} after ${ms(performance.now() - started)}: the ${nodes.length} nodes used ${(cores * 100).toFixed(0)} % of a core in the last second (load ${loadavg()[0]!.toFixed(1)})`;
}

/** Each node's block events: hash → when this process read it (performance.now()). */
function watch(room: Room, i: number, seen: Map<string, number>[], stop: AbortSignal): void {
  const map = new Map<string, number>();
  seen[i] = map;
  void (async () => {
    const response = await fetch(`${room.url(i)}/api/events`, { signal: stop });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!message.startsWith('event: block')) continue;
        const data = JSON.parse(message.slice(message.indexOf('data: ') + 6)) as { hash: string };
        if (!map.has(data.hash)) map.set(data.hash, performance.now());
      }
    }
  })().catch(() => {});
}

const room = new Room(NODES);
const stop = new AbortController();
// Ctrl-C: the thirty processes and their namespaces go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    room.destroy();
    process.exit(130);
  });
try {
  const startedAt = performance.now();
  await room.start(0);
  // In waves of six: thirty node processes starting at once on two cores mostly wait.
  for (let first = 1; first < NODES; first += 6) {
    const wave = Array.from({ length: Math.min(6, NODES - first) }, (_, k) => first + k);
    await Promise.all(
      wave.map((i) => room.start(i, { peers: [0, Math.floor(Math.random() * i)] })),
    );
  }
  const all = Array.from({ length: NODES }, (_, i) => i);
  process.stdout.write(
    `${NODES} nodes started in ${ms(performance.now() - startedAt)} on ${availableParallelism()} cores (load ${loadavg()[0]!.toFixed(1)})\n`,
  );
  const seen: Map<string, number>[] = [];
  for (const i of all) watch(room, i, seen, stop.signal);
  process.stdout.write(`${await settle(room, all)}\n`);
  await room.mine(0);
  const warm = await room.converge(all, 300_000);
  process.stdout.write(`warm-up block on all ${NODES}: ${ms(warm.ms)}\n\n`);

  // (a) propagation
  const toAll: number[] = [];
  const perNode: number[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const miner = Math.floor(Math.random() * NODES);
    const hash = await room.mine(miner);
    await room.converge(all, 60_000);
    // The events may trail the tips by a moment: wait until every stream has it.
    for (let k = 0; k < 100 && !all.every((i) => seen[i]!.has(hash)); k++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const at = all.map((i) => seen[i]!.get(hash));
    const origin = at[miner];
    if (origin === undefined || at.some((t) => t === undefined)) continue;
    const delays = all.filter((i) => i !== miner).map((i) => at[i]! - origin);
    perNode.push(...delays);
    toAll.push(Math.max(...delays));
  }
  const p95 = quantile(toAll, 0.95);
  process.stdout.write(
    [
      `(a) a block to all ${NODES} nodes (${toAll.length} blocks, mined on random nodes)`,
      `    to the last node:  p50 ${ms(quantile(toAll, 0.5))}  p95 ${ms(p95)}  (aim p95 < ${AIM_P95_MS} ms: ${p95 < AIM_P95_MS ? 'met' : 'missed'})`,
      `    to each node:      p50 ${ms(quantile(perNode, 0.5))}  p95 ${ms(quantile(perNode, 0.95))}`,
      '',
    ].join('\n'),
  );

  // (b) split and heal
  const half = Math.floor(NODES / 2);
  const a = all.slice(0, half);
  const b = all.slice(half);
  room.splitRoom(a, b);
  // Each half's blocks from one node, so that neither half ends in a tie of its own.
  for (let k = 0; k < 2; k++) await room.mine(a[1]!);
  for (let k = 0; k < 3; k++) await room.mine(b[0]!);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  room.heal();
  const healed = await room.converge(all, 120_000);
  const bans = await room.bans(all);
  process.stdout.write(
    `(b) split ${a.length} | ${b.length}, both mined (2 and 3 blocks), healed: all ${NODES} on one tip in ${ms(healed.ms)}; bans: ${bans.length}\n\n`,
  );

  // (c) memory
  const rss = all.map((i) => {
    const status = readFileSync(`/proc/${room.pid(i)}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
  });
  const worst = Math.max(...rss);
  process.stdout.write(
    `(c) resident memory a node: median ${quantile(rss, 0.5).toFixed(0)} MB, max ${worst.toFixed(0)} MB (aim < ${AIM_RSS_MB} MB: ${worst < AIM_RSS_MB ? 'met' : 'missed'})\n`,
  );
} finally {
  stop.abort();
  room.destroy();
}
