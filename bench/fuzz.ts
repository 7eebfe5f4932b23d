/**
 * The long fuzz run: `npm run bench -- fuzz` (FUZZ_RUNS=n for another count, FUZZ_SEED=s to
 * repeat a run). The same properties as the suite's (test/support/fuzz.ts), with many more cases:
 * the decoders, peer messages, and the routes through app.inject() on a real node. A failure
 * prints fast-check's counterexample and seed, and the run exits non-zero.
 */
import fc from 'fast-check';
import {
  checkAnswer,
  type FuzzCounts,
  fuzzDecoders,
  fuzzPeerMessages,
  fuzzTarget,
  peerExamples,
  requestArb,
} from '../test/support/fuzz.js';

const runs = Number(process.env.FUZZ_RUNS ?? 20_000);
const seed =
  process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
const counts: FuzzCounts[] = [];
const started = performance.now();
process.stdout.write(`seed ${seed}, ${runs} cases a target\n`);

counts.push(...fuzzDecoders(runs, seed));

counts.push(...fuzzPeerMessages(runs, peerExamples(), seed));

const { node, examples } = await fuzzTarget();
const statuses = new Map<number, number>();
try {
  await fc.assert(
    fc.asyncProperty(requestArb(examples), async (request) => {
      const answer = await node.app.inject({
        method: request.method,
        url: request.url,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
        ...(request.contentType ? { headers: { 'content-type': request.contentType } } : {}),
      });
      statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
      checkAnswer(request, answer.statusCode, answer.body);
    }),
    { numRuns: runs, seed },
  );
  counts.push({ name: 'HTTP routes (app.inject)', cases: runs });
} finally {
  await node.close();
}

for (const { name, cases } of counts) {
  process.stdout.write(
    `${name.padEnd(28)}${cases.toLocaleString('en-US').padStart(10)} cases, no failure\n`,
  );
}
const total = counts.reduce((n, c) => n + c.cases, 0);
process.stdout.write(
  `total ${total.toLocaleString('en-US')} cases in ${((performance.now() - started) / 1000).toFixed(0)} s; route answers by status: ${[
    ...statuses,
  ]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s} ×${n}`)
    .join(', ')}\n`,
);
