/**
 * A peer that is slow, not stopped: a real node in a child process that stops (SIGSTOP) on
 * every request for blocks and is let go on (SIGCONT) a while later, longer than the base stall
 * timeout allows (as a node whose own thread is busy each time it is asked, on an overloaded
 * machine or a classroom laptop). The node syncing from it, with no other peer to ask, must not
 * cut it: the peer's stall timeout doubles when it stalls (src/p2p/stallTimeouts.ts), the batch
 * is asked again, and the sync completes from it. The old fixed 2 s rule failed its first batch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { STALL_MS } from '../../../src/p2p/stallTimeouts.js';
import { batchDeadlines } from '../../../src/p2p/sync.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, startNode, stopNode } from '../../support/http.js';
import { hexOf, makeTempDir } from '../../support/nodeFixtures.js';
import { startP2pNode } from '../../support/p2p.js';

closeNodesAfterEach();
const childScript = fileURLToPath(new URL('../../support/servingNodeChild.ts', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** 1, 2, 4: three batches (sync.ts FIRST_BATCHES). */
const BLOCKS = 7;
/** Each pause: longer than the first batch may take to start answering at the base timeout. */
const PAUSED_MS = batchDeadlines(1).firstByteMs + 500;

/** A serving node that stops on each request for blocks, let go on PAUSED_MS later. */
async function spawnPausingNode(dataDir: string): Promise<{ url: string; pauses: () => number }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, dataDir, 'pause-on-blocks'],
    {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const timers = new Set<NodeJS.Timeout>();
  cleanups.push(() => {
    for (const timer of timers) clearTimeout(timer);
    child.kill('SIGKILL');
  });
  let pauses = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the serving node exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { url?: string; paused?: number };
      if (message.url) resolve(message.url);
      if (message.paused) {
        pauses = message.paused;
        const timer = setTimeout(() => {
          timers.delete(timer);
          child.kill('SIGCONT');
        }, PAUSED_MS);
        timers.add(timer);
      }
    });
  });
  return { url, pauses: () => pauses };
}

describe('a real peer slowed down by SIGSTOP/SIGCONT', () => {
  it('is not cut: its stall timeout grows, and the sync completes from it', async () => {
    const builder = new ChainBuilder().mineEmpty(BLOCKS);
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    // The serving node's chain, written by a node in this process, then served by a child.
    const writer = await startNode({ dataDir: temp.dir });
    for (const block of builder.blocks.slice(1)) await writer.chain.addBlock(block);
    await stopNode(writer);
    const serving = await spawnPausingNode(temp.dir);

    const node = await startP2pNode();
    const started = performance.now();
    const registered = await node.network.register([serving.url]);
    expect(registered.ok && registered.value[0]?.status).toBe('connected');
    // The sync the greeting started: one sync, from this one peer, to the end.
    const synced = await node.network.sync(serving.url);
    const seconds = (performance.now() - started) / 1000;
    const { stalls } = node.network;
    process.stdout.write(
      `slow peer: synced ${BLOCKS} blocks in ${seconds.toFixed(1)} s through ${serving.pauses()} pauses of ${PAUSED_MS} ms; it stalled ${stalls.stallCount(serving.url)} times, its stall timeout now ${stalls.of(serving.url)} ms (base ${STALL_MS})\n`,
    );
    expect(synced.ok ? 'ok' : `${synced.code} ${synced.detail}`).toBe('ok');
    expect(node.chain.tip.hashHex).toBe(hexOf(builder.tip));
    // It stalled by the base timeout, and was given longer rather than cut or scored.
    expect(stalls.stallCount(serving.url)).toBeGreaterThan(0);
    expect(node.network.peers.get(serving.url)).toMatchObject({ score: 0, bannedUntilMs: 0 });
  }, 120_000);
});
