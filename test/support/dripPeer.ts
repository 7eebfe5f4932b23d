/**
 * A slow-drip peer for tests: a fake peer (fakePeer.ts) holding a chain, that answers a request
 * for blocks as an honest peer would, but a byte at a time: steadily enough never to stall, too
 * slowly ever to finish (test/integration/p2p/slowDripPeer.test.ts, the dashboard's stalled sync
 * in test/e2e/syncStalled.test.ts), or (`everyMs` Infinity) not at all after the head: a stall.
 * `whole()` sends the rest of every answer under way, and every later answer, at once (the peer
 * got faster).
 */
import type { ServerResponse } from 'node:http';
import { chainWorkAfter, encodeBlock, toHex } from '../../src/core/index.js';
import type { ChainBuilder } from './chainBuilder.js';
import { chainRoutes, type FakePeer, startFakePeer } from './fakePeer.js';
import { hexOf } from './nodeFixtures.js';
import { register, waitForPeer } from './p2p.js';

/**
 * A byte this often: never a stall (STALL_MS, 2 s), never a whole answer in its deadline (7 s
 * for a block: fetchBatch.ts batchDeadlines; the smallest block here is 300 characters).
 */
export const DRIP_MS = 50;

export interface DripPeer {
  readonly peer: FakePeer;
  /** The paths of the requests for blocks, in order. */
  readonly asked: string[];
  /** Resolves once the first answer started dripping. */
  readonly dripping: Promise<void>;
  /** From now on, every answer (those under way too) is sent whole at once. */
  whole(): void;
  /** Stops every drip and closes the peer. */
  close(): Promise<void>;
}

/** A fake peer of `node`'s network holding `chain`, dripping every answer for blocks. */
export async function startDripPeer(
  node: Parameters<typeof startFakePeer>[0],
  chain: ChainBuilder,
  everyMs = DRIP_MS,
): Promise<DripPeer> {
  const asked: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const flushes = new Set<() => void>();
  let whole = false;
  let started = () => {};
  const dripping = new Promise<void>((resolve) => {
    started = resolve;
  });
  /** Writes `text` one byte a write, `everyMs` apart, until done or the connection closes. */
  const drip = (res: ServerResponse, text: string): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let at = 0;
    const stop = () => {
      clearInterval(timer);
      timers.delete(timer);
      flushes.delete(flush);
    };
    const flush = () => {
      stop();
      if (!res.destroyed) res.end(text.slice(at));
    };
    // Infinity: not a byte after the head (a peer that stalls), until whole().
    const timer = setInterval(
      () => {
        if (!Number.isFinite(everyMs)) return;
        if (res.destroyed || at >= text.length) {
          stop();
          if (!res.destroyed) res.end();
          return;
        }
        res.write(text[at++]!);
      },
      Math.min(everyMs, 1_000),
    );
    timers.add(timer);
    flushes.add(flush);
    res.on('close', stop);
    if (whole) flush();
  };
  // Its hello shows its chain's tip, as a real peer's does (a ping then starts a sync).
  const tip = chain.blocks.at(-1)!;
  const chainWork = chain.blocks.reduce((work, b) => chainWorkAfter(work, b.header.bits), 0n);
  const peer = await startFakePeer(node, {
    hello: { height: tip.header.height, tip_hash: hexOf(tip), chain_work: `${chainWork}` },
    routes: {
      ...chainRoutes(chain.blocks),
      'GET /api/p2p/blocks': (req, res, query) => {
        asked.push(req.url!);
        // The blocks asked for, as an honest peer would answer them: only slowly.
        const hexes = (query.get('hashes') ?? '').split(',').map((hash) => {
          const block = chain.blocks.find((b) => hexOf(b) === hash);
          return block ? toHex(encodeBlock(block)) : '';
        });
        drip(res, JSON.stringify({ blocks: hexes }));
        started();
      },
    },
  });
  return {
    peer,
    asked,
    dripping,
    whole() {
      whole = true;
      for (const flush of [...flushes]) flush();
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      await peer.close();
    },
  };
}

/** Registers `drip` with `node`, then waits until a sync gives up on it (P2P_TOO_SLOW). */
export async function registerUntilGivenUp(
  node: Parameters<typeof register>[0],
  drip: DripPeer,
  timeoutMs: number,
): Promise<void> {
  await register(node, [drip.peer.url]);
  await waitForPeer(
    node,
    drip.peer.url,
    (p) => p.lastErrorCode === 'P2P_TOO_SLOW',
    'to be given up on as too slow',
    timeoutMs,
  );
}
