/**
 * A loose batch of signatures (POST /api/tx/batch's 100) while one of the two signature workers
 * is busy with a whole block (a sync's next block, checked on one worker): how long until the
 * batch's verdicts are all in, and the process's CPU for it. Two builds side by side, alternated
 * round by round: each argument is a signatureWorkers.js (e.g. a compiled intake node's copy
 * under node_modules/.cache/<name>/src/crypto/), or `src` for this tree's TypeScript.
 *
 *   npx tsx bench/lib/busyWorkerBatch.ts <rounds> <A> <B>
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { COIN, encodeBlock, encodeTx, TRANSFER_SIZE } from '../../src/core/index.js';
import type { SignatureWorkers } from '../../src/crypto/signatureWorkers.js';
import { alice, bob, ChainBuilder } from '../../test/support/chainBuilder.js';

const [roundsArg = '5', ...paths] = process.argv.slice(2);
if (paths.length === 0) throw new Error('usage: busyWorkerBatch.ts <rounds> <A> [B]');
const BLOCK = 400;
const BATCH = 100;

const builder = new ChainBuilder();
builder.mine({ minerKey: alice.key });
const transfers = Array.from({ length: BLOCK + BATCH }, (_, i) =>
  builder.transfer(alice, bob, 1n * COIN, { nonce: BigInt(i) }),
);
const block = encodeBlock(builder.next({ transfers: transfers.slice(0, BLOCK) }));
const batch = new Uint8Array(BATCH * TRANSFER_SIZE);
transfers.slice(BLOCK).forEach((tx, i) => {
  batch.set(encodeTx(tx), i * TRANSFER_SIZE);
});

const pools = await Promise.all(
  paths.map(async (path) => {
    const url =
      path === 'src'
        ? new URL('../../src/crypto/signatureWorkers.ts', import.meta.url)
        : pathToFileURL(path);
    const module = (await import(url.href)) as { SignatureWorkers: typeof SignatureWorkers };
    const pool = new module.SignatureWorkers({ threads: 2 });
    await pool.checkTransfers(batch); // started and warm
    return { path, pool, ms: [] as number[], cpu: [] as number[] };
  }),
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const side of pools) {
      const busy = side.pool.check(block); // one worker verifies the whole block
      const [start, cpu] = [performance.now(), process.cpuUsage()];
      const verdicts = await side.pool.checkTransfers(batch);
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      if (verdicts?.every((v) => v === 1) !== true) throw new Error(`${side.path}: wrong verdicts`);
      await busy;
      side.ms.push(ms);
      side.cpu.push((used.user + used.system) / 1000);
    }
  }
  for (const [i, side] of pools.entries())
    process.stdout.write(
      `${'AB'[i]} ${side.path}: the batch answered in ${side.ms.map((ms) => ms.toFixed(1)).join(', ')} ms (median ${median(side.ms).toFixed(1)}); process CPU meanwhile, median ${median(side.cpu).toFixed(1)} ms\n`,
    );
  process.stdout.write(`load average ${loadavg()[0]!.toFixed(1)}\n`);
} finally {
  await Promise.all(pools.map((side) => side.pool.close()));
}
