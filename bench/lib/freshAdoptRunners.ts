/**
 * What bench/lib/freshAdoptProfile.ts and freshAdoptCallgrind.ts share: a peer 20 blocks ahead
 * (bench/lib/p2pNode.ts compiled, SQLite), and the builds whose fresh nodes they measure, each
 * with V8's code cache trained by one register + resolve onto that peer, as bench/adopt.ts does:
 *   bundled  this build, from its bundle (bench/lib/bundledNode.ts);
 *   OLD_RUNNER=<runner>  `old`: an older build (a copy of node_modules/.cache/
 *            blockyard-bench-p2p-bundle inside node_modules/.cache, with the compiled node it
 *            was bundled from, its manifest's paths changed to that copy's);
 *   OTHER_RUNNERS=name=<runner>,name=<runner>  more builds, each named;
 *   FLAG_RUNNERS='name=--flag --flag;name=--flag'  this build under other node/V8 flags.
 * Each but `bundled` trains its own cache here, the same way in the same run (V8 refuses one
 * made under other flags).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { bundleBenchChild, compileBenchChild } from './compiledNode.js';
import { type NodeChild, startNode, writeBlockFile } from './nodeChild.js';
import { AHEAD, registerAndResolve } from './registerAndResolve.js';

/** A build to start fresh nodes of: its runner script, and the flags it runs with. */
export interface FreshRunner {
  readonly runner: string;
  readonly flags: readonly string[];
}

export interface FreshAdoptSetUp {
  /** A folder for the fresh nodes' data, removed by close(). */
  readonly temp: string;
  readonly ahead: NodeChild;
  readonly runners: Record<string, FreshRunner>;
  close(): Promise<void>;
}

/** The peer ahead and the trained builds (OLD_RUNNER, OTHER_RUNNERS, FLAG_RUNNERS as above). */
export async function freshAdoptSetUp(): Promise<FreshAdoptSetUp> {
  const compiled = compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-p2p-node');
  const temp = mkdtempSync(join(tmpdir(), 'blockyard-fresh-adopt-'));
  const builder = new ChainBuilder(easyParams);
  for (let b = 0; b < AHEAD; b++) builder.mine();
  const file = join(temp, 'ahead.bin');
  writeBlockFile(file, builder.blocks.slice(1));
  const ahead = await startNode({ dataDir: join(temp, 'ahead'), tips: false }, compiled);
  const close = async () => {
    await ahead.close();
    rmSync(temp, { recursive: true, force: true });
  };
  try {
    if (!(await ahead.command('load', { file })).ok) throw new Error('the chain was refused');
    const train = async (name: string, { runner, flags }: FreshRunner) => {
      const trainee = await startNode(
        { dataDir: join(temp, `trainee-${name}`), tips: false },
        runner,
        { BENCH_CODE_CACHE: 'write' },
        flags,
      );
      await registerAndResolve(trainee.url, ahead.url);
      await trainee.close();
    };
    const bundled = await bundleBenchChild(compiled, 'blockyard-bench-p2p-bundle', (runner) =>
      train('bundled', { runner, flags: [] }),
    );
    const runners: Record<string, FreshRunner> = {};
    if (process.env.OLD_RUNNER) runners.old = { runner: process.env.OLD_RUNNER, flags: [] };
    for (const pair of (process.env.OTHER_RUNNERS ?? '').split(',').filter(Boolean)) {
      const [name, runner] = pair.split('=') as [string, string];
      runners[name] = { runner, flags: [] };
    }
    runners.bundled = { runner: bundled, flags: [] };
    for (const pair of (process.env.FLAG_RUNNERS ?? '').split(';').filter(Boolean)) {
      const [name, flags] = pair.split('=', 2) as [string, string];
      runners[name] = { runner: bundled, flags: flags.split(' ').filter(Boolean) };
    }
    for (const [name, runner] of Object.entries(runners))
      if (name !== 'bundled') await train(name, runner);
    return { temp, ahead, runners, close };
  } catch (error) {
    await close();
    throw error;
  }
}
