/**
 * A sync's way of adding full blocks (fetchBodies.ts: the next VERIFY_AHEAD_BLOCKS checked ahead,
 * the bytes and header hash handed in, commits held), in one process, without the network: CPU a
 * transfer, this thread's and the verify threads'. For comparing two trees alternated (run it
 * from each root):
 *   npx tsx bench/lib/syncAdd.ts [local|posted]
 * The blocks are built once (signing takes a while) and cached in /tmp/syncblocks.bin.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../../src/chain/chain.js';
import { maxTransfersPerBlock } from '../../src/core/index.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { VERIFY_AHEAD_BLOCKS } from '../../src/p2p/fetchBodies.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { fundedChain } from './fundedChain.js';
import { readBlockFile, writeBlockFile } from './nodeChild.js';
import { mainThreadCpuMs } from './threadCpu.js';

const FILE = '/tmp/syncblocks.bin';
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const FULL = 12;
if (!existsSync(FILE)) {
  const c = fundedChain(easyParams, {
    senders: 2000,
    spends: FULL * maxTransfersPerBlock(easyParams.maxBlockBytes),
  });
  for (let i = 0; i < FULL; i++) c.fullBlock();
  writeBlockFile(FILE, c.builder.blocks.slice(1));
}
const items = readBlockFile(FILE);
const dir = mkdtempSync(join(tmpdir(), 'syncmicro-'));
const verifier = createNodeVerifier();
const store = openSqliteStore(join(dir, 'chain.sqlite'));
const chain = await Chain.open({ params: easyParams, store, verifier, now: Date.now });
for (const { block } of items.slice(0, 2))
  if (!(await chain.addBlock(block)).ok) throw new Error('fund');
const full = items.slice(2);
const txs = full.reduce((n, i) => n + i.block.txs.length - 1, 0);
const rssBefore = process.memoryUsage().rss;
const main0 = mainThreadCpuMs()!;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
/**
 * `local`: each block added alone, as a serving node loads them (bench p2p's local addBlock);
 * `posted`: the same with the bytes it was decoded from, as POST /api/blocks with `hex` adds it.
 */
const mode = process.argv[2];
const local = mode === 'local' || mode === 'posted';
if (local) {
  for (const [i, it] of full.entries()) {
    const r = await chain.addBlock(it.block, mode === 'posted' ? { bytes: it.bytes } : {});
    if (!r.ok || r.value.status !== 'connected')
      throw new Error(`block ${i}: ${JSON.stringify(r)}`);
  }
} else
  await chain.deferDurability(async () => {
    let ahead = 0;
    for (let i = 0; i < full.length; i++) {
      while (ahead < full.length && ahead <= i + VERIFY_AHEAD_BLOCKS) {
        const it = full[ahead++]!;
        chain.verifyAhead(it.block, it.bytes, it.hash);
      }
      const it = full[i]!;
      const r = await chain.addBlock(it.block, {
        bytes: it.bytes,
        hash: it.hash,
        held: true,
      });
      if (!r.ok || r.value.status !== 'connected')
        throw new Error(`block ${i}: ${JSON.stringify(r)}`);
      if (i % 16 === 15) chain.commitHeld();
    }
    chain.commitHeld();
  });
const ms = performance.now() - t0;
const rssAfter = process.memoryUsage().rss;
const cpu = process.cpuUsage(cpu0);
const main = mainThreadCpuMs()! - main0;
const all = (cpu.user + cpu.system) / 1000;
console.log(
  `${mode ?? 'sync'} blocks ${full.length} txs ${txs} wall ${ms.toFixed(0)} ms ${((txs / ms) * 1000).toFixed(0)}/s | CPU/tx all ${((1000 * all) / txs).toFixed(1)} us main ${((1000 * main) / txs).toFixed(1)} us workers ${((1000 * (all - main)) / txs).toFixed(1)} us | RSS ${mb(rssBefore)} → ${mb(rssAfter)} | load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
);
store.close();
await verifier.close?.();
rmSync(dir, { recursive: true, force: true });
