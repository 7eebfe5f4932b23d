/**
 * One thread's CPU by part of the intake path, from Linux perf's samples (CPU-clock, so a thread
 * that waits for a core is not sampled, unlike V8's --cpu-prof, which samples by the clock and
 * so grows what the load stretches). Run the node with JIT symbols and record it:
 *
 *   INTAKE_FLAGS_A=--perf-basic-prof npx tsx bench/lib/intakeAlternate.ts 2 json-batch A.js A.js 20 &
 *   perf record -F 497 -g -p <the node's pid> -o /tmp/intake.data   # until the bench ends
 *   perf script -i /tmp/intake.data --tid=<pid> -F time,ip,sym > /tmp/intake.txt
 *   npx tsx bench/lib/perfShares.ts /tmp/intake.txt [from perf's seconds] [frames]
 *
 * Each sample goes to the first part below whose pattern one of its frames matches (so, say, a
 * collection inside admission counts as GC), and the JavaScript functions on most stacks follow.
 * NOTE: optimized code inlines its callees, so a function's own lookups show under its caller;
 * and --perf-basic-prof does not follow code V8 moves, so a few frames carry a stale name.
 */
import { readFileSync } from 'node:fs';

const PARTS: readonly [string, RegExp][] = [
  [
    'socket write (kernel; loopback delivers there)',
    /writev|__libc_write|DoTryWrite|tcp_sendmsg|uv__write/,
  ],
  ['socket read (kernel)', /tcp_recvmsg|sys_read/],
  ['wake a worker', /MessagePort::PostMessage|uv_async_send|futex/],
  ['garbage collection', /Scavenger|Heap::|MarkCompact|IncrementalMarking|Sweeper/],
  ['compiling', /Compiler::|BytecodeGenerator|Turbofan|Maglev|Deoptimizer/],
  ['signature jobs', /signatureBatch\.js|signatureWorkers\.js|nodeEd25519\.js/],
  ['added: journal, reorg log, gossip', /wireEvents\.js|mempoolJournal\.js|reorgLog\.js|gossip/],
  [
    'decide and insert',
    /decide .*mempool\.js|admission\.js|heldTransfers\.js|senderQueues|accountCache/,
  ],
  ['cheap checks (offer)', /offer .*mempool\.js|checkTx\.js/],
  ['transfer from JSON or hex', /json\.js|decodeTx|readTxJson|parseTx/],
  ['JSON.parse', /JsonParser|secure-json-parse/],
  ['schema check', /validate1|validation\.js/],
  ['answer (fastify reply, serializer)', /reply\.js|serializ/],
  ['the route handler', /routes\/txs\.js/],
  ['fastify request, hooks', /handle-request\.js|content-type-parser|route\.js|hooks\.js/],
  [
    'node:http in (llhttp, IncomingMessage)',
    /Parser::OnStreamRead|llhttp|_http_server|_http_common/,
  ],
  ['worker answers', /MessagePort/],
  ['event loop (epoll)', /epoll|uv__io_poll/],
];

const [file, fromText, framesText = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: perfShares.ts <perf script output> [from seconds] [frames]');
const from = fromText === undefined ? Number.NEGATIVE_INFINITY : Number(fromText);

/** perf script's samples: a header line (its time first), then one frame a line, then a blank. */
const samples: string[][] = [];
let stack: string[] | undefined;
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line.trim() === '') {
    if (stack) samples.push(stack);
    stack = undefined;
  } else if (!/^\s/.test(line)) {
    stack = Number.parseFloat(line) >= from ? [] : undefined;
  } else {
    // "<address> <symbol>"
    stack?.push(line.trim().replace(/^\S+\s/, ''));
  }
}
if (stack) samples.push(stack);

const byPart = new Map<string, number>();
const byFrame = new Map<string, number>();
for (const frames of samples) {
  const part = PARTS.find(([, pattern]) => frames.some((f) => pattern.test(f)))?.[0] ?? 'other';
  byPart.set(part, (byPart.get(part) ?? 0) + 1);
  for (const frame of new Set(frames.filter((f) => f.startsWith('JS:'))))
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + 1);
}
const share = (n: number) => `${((100 * n) / samples.length).toFixed(1).padStart(5)} %`;
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
console.log(`${samples.length} samples`);
for (const [part, n] of sorted(byPart)) console.log(`${share(n)}  ${part}`);
console.log('\non the stack (JavaScript functions):');
for (const [frame, n] of sorted(byFrame).slice(0, Number(framesText)))
  console.log(
    `${share(n)}  ${frame.replace(/(file:\/\/)?\/\S*?node_modules\/(\.cache\/[^/]+\/)?/, '')}`,
  );
