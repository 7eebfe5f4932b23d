/**
 * A peer away is called early on a sign of life from its host (peerContact.ts heardFrom: any
 * request to /api/p2p/ from that address), but at most once every EARLY_CALL_GAP_MS: on one
 * machine (or behind one address) a dead peer shares its host with live ones that call us all
 * the time, and each of their requests would otherwise have it called again: a storm of
 * connections to a peer that is down.
 *
 * Here a real node names a dead peer on 127.0.0.1 (a port that accepts and drops every
 * connection, counting them) while this process, from the same address, asks the node for its
 * hello hundreds of times. The count of calls to the dead peer stays within what its backoff
 * and the gap allow in the time it took, far below one a request.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EARLY_CALL_GAP_MS, RETRY_FIRST_MS } from '../../../src/p2p/peerSchedule.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { register, startP2pNode, waitForPeer } from '../../support/p2p.js';

closeNodesAfterEach();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

const REQUESTS = 1_000;

describe('a dead peer on a busy host', () => {
  it('is called at a bounded rate, not once for every request from its host', async () => {
    let calls = 0;
    const dead = createServer((socket) => {
      calls++;
      socket.destroy();
    });
    servers.push(dead);
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    const node = await startP2pNode();
    await register(node, [deadUrl]);
    await waitForPeer(node, deadUrl, (p) => p.failures >= 1, 'to fail once');
    const before = calls;
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++)
      expect((await get(`${node.url}/api/p2p/hello`)).status).toBe(200);
    const elapsedMs = performance.now() - started;
    const made = calls - before;
    // Early calls at least EARLY_CALL_GAP_MS apart; the backoff's own at least RETRY_FIRST_MS / 2.
    const allowed = 2 + elapsedMs / EARLY_CALL_GAP_MS + elapsedMs / (RETRY_FIRST_MS / 2);
    process.stdout.write(
      `a dead peer on a busy host: ${made} calls to it during ${REQUESTS} requests from its host in ${Math.round(elapsedMs)} ms (at most ${Math.floor(allowed)} allowed)\n`,
    );
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(allowed);
    expect(made).toBeLessThan(REQUESTS / 4);
  }, 120_000);
});
