/**
 * A lone transfer's signature check through the mempool's SignatureBatch, as on a quiet node
 * (one POST /api/tx at a time, the workers running and idle): on the worker threads (a post that
 * wakes a sleeping worker, then this thread for the answer) against on this thread (ON_THIS_THREAD),
 * alternated in rounds. Prints, per round and way, the CPU of the whole process and the wall
 * time a check, and the load average.
 *
 *   npx tsx bench/lib/loneCheck.ts [rounds] [checks a round]
 */
import { loadavg } from 'node:os';
import { encodeTx } from '../../src/core/index.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { ON_THIS_THREAD, SignatureBatch } from '../../src/mempool/signatureBatch.js';
import { alice, bob, ChainBuilder } from '../../test/support/chainBuilder.js';

const rounds = Number(process.argv[2] ?? 5);
const checks = Number(process.argv[3] ?? 500);
const verifier = createNodeVerifier();
const builder = new ChainBuilder();
builder.mine({ minerKey: alice.key });
const txs = Array.from({ length: checks }, (_, i) =>
  builder.transfer(alice, bob, 1n, { nonce: BigInt(i) }),
);
const ways = [
  { name: 'workers    ', batch: new SignatureBatch(verifier, undefined, 0) },
  { name: 'this thread', batch: new SignatureBatch(verifier, undefined, ON_THIS_THREAD) },
];
// Start the workers, and keep them running (they stop after 10 s idle).
await verifier.verifyTransfers!(encodeTx(txs[0]!));
const pause = () => new Promise((resolve) => setTimeout(resolve, 1));
for (let round = 0; round < rounds; round++) {
  for (const { name, batch } of ways) {
    let cpu = 0;
    let wall = 0;
    for (const tx of txs) {
      await pause(); // the workers fall asleep between checks, as between a quiet node's requests
      const bytes = encodeTx(tx);
      const [start, startCpu] = [performance.now(), process.cpuUsage()];
      const valid = await batch.check(tx, bytes);
      const used = process.cpuUsage(startCpu);
      wall += performance.now() - start;
      cpu += (used.user + used.system) / 1000;
      if (!valid) throw new Error('a good signature was refused');
    }
    const us = (ms: number) => ((1000 * ms) / checks).toFixed(0).padStart(4);
    console.log(
      `${name} CPU ${us(cpu)} µs  wall ${us(wall)} µs a check  load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}
await verifier.close?.();
