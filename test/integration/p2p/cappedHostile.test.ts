/**
 * The capped first request for a branch (GET /api/p2p/blocks with `max_bytes`, since 0.2.0)
 * meets a peer that goes away in the middle of it: a real node in a child process, stopped
 * (SIGSTOP) as the request reaches it and then killed (SIGKILL), or woken (SIGCONT) after the
 * download has moved on; and a peer that dies half-way through writing its answer. Each time
 * the node takes the branch from its other peer, and the peer that went away is marked away,
 * not scored or banned: going away is not lying.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COIN, encodeBlock, toHex } from '../../../src/core/index.js';
import { alice, ChainBuilder, easyParams, miner } from '../../support/chainBuilder.js';
import { chainRoutes, type FakePeer, startFakePeer } from '../../support/fakePeer.js';
import { closeNodesAfterEach, get, startNode, stopNode } from '../../support/http.js';
import { afterGenesis, feed, hexOf, makeTempDir } from '../../support/nodeFixtures.js';
import { balanceOf, peerView, startP2pNode, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();
const childScript = fileURLToPath(new URL('../../support/servingNodeChild.ts', import.meta.url));
const cleanups: (() => void | Promise<void>)[] = [];
const fakes: FakePeer[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** A short branch with state in it: coinbases, and a transfer every third block. */
function branch(): ChainBuilder {
  const builder = new ChainBuilder(easyParams);
  builder.mine();
  for (let h = 2; h <= 20; h++) {
    builder.mine({ transfers: h % 3 === 0 ? [builder.transfer(miner, alice, 1n * COIN)] : [] });
  }
  return builder;
}

/**
 * A real node serving `builder`'s chain from its own process, which stops itself when asked
 * for blocks; `pausedAt` resolves with the path of the first request it stopped on.
 */
async function spawnStoppingPeer(builder: ChainBuilder) {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  const writer = await startNode({ dataDir: temp.dir, params: easyParams });
  await feed(writer.chain, afterGenesis(builder));
  await stopNode(writer);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, temp.dir, 'pause-on-blocks'],
    {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  let paused: (path: string) => void = () => {};
  const pausedAt = new Promise<string>((resolve) => {
    paused = resolve;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the serving node exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { url?: string; path?: string };
      if (message.url) resolve(message.url);
      if (message.path) paused(message.path);
    });
  });
  return { child, url, pausedAt, exited };
}

/** The node at genesis, with an honest peer in its book that knows nothing of it. */
async function nodeWithHonestPeer(builder: ChainBuilder) {
  const honest = await startP2pNode({ params: easyParams });
  await feed(honest.chain, afterGenesis(builder));
  const node = await startP2pNode({ params: easyParams });
  expect(node.network.peers.add(honest.url).ok).toBe(true);
  return node;
}

describe('a peer that goes away during the capped first request for a branch', () => {
  it('killed (SIGKILL) while it holds the request: the branch comes from the other peer', async () => {
    const builder = branch();
    const node = await nodeWithHonestPeer(builder);
    const peer = await spawnStoppingPeer(builder);
    const registered = await node.network.register([peer.url]);
    expect(registered.ok && registered.value[0]?.status).toBe('connected');

    expect(await peer.pausedAt).toMatch(/^\/api\/p2p\/blocks\?.*max_bytes=\d+/);
    peer.child.kill('SIGKILL');
    await peer.exited;
    const killedAt = performance.now();
    await waitForTip(node, hexOf(builder.tip), 30_000);
    process.stdout.write(
      `capped, killed: tip ${Math.round(performance.now() - killedAt)} ms after the kill\n`,
    );
    expect(await balanceOf(node, alice.key)).toBe(6n * COIN);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 0 });
    expect(node.network.peers.get(peer.url)?.lastErrorCode).toMatch(/^P2P_/);
  }, 60_000);

  it('stopped (SIGSTOP), then woken after the download moved on: nothing is applied twice', async () => {
    const builder = branch();
    const node = await nodeWithHonestPeer(builder);
    const peer = await spawnStoppingPeer(builder);
    await node.network.register([peer.url]);

    expect(await peer.pausedAt).toMatch(/max_bytes=/);
    const stoppedAt = performance.now();
    await waitForTip(node, hexOf(builder.tip), 30_000);
    process.stdout.write(
      `capped, stopped: tip ${Math.round(performance.now() - stoppedAt)} ms after the stop\n`,
    );
    peer.child.kill('SIGCONT');
    // Once it answers a hello, it has read and answered the request it stopped on.
    expect((await get(`${peer.url}/api/p2p/hello`)).status).toBe(200);
    expect(node.chain.tip.hashHex).toBe(hexOf(builder.tip));
    expect(await balanceOf(node, alice.key)).toBe(6n * COIN);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 0 });
  }, 60_000);

  it('dead half-way through writing its answer: the branch comes from the other peer', async () => {
    const builder = branch();
    const node = await nodeWithHonestPeer(builder);
    const serve = chainRoutes(builder.blocks);
    let cut = 0;
    const peer = await startFakePeer(node, {
      hello: { version: '0.2.0' },
      routes: {
        ...serve,
        'GET /api/p2p/blocks': (req, res, query) => {
          if (!query.has('max_bytes')) return serve['GET /api/p2p/blocks']!(req, res, query);
          // Half of the first block's hex, then the connection goes (a process that died).
          cut++;
          const hex = toHex(encodeBlock(builder.blocks[1]!));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(`{"blocks":["${hex.slice(0, hex.length / 2)}`, () => res.destroy());
        },
      },
    });
    fakes.push(peer);
    await node.network.register([peer.url]);
    await waitForTip(node, hexOf(builder.tip), 30_000);
    expect(cut).toBeGreaterThan(0);
    expect(await balanceOf(node, alice.key)).toBe(6n * COIN);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 0 });
  }, 60_000);
});
