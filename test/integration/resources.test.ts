/**
 * Resource exhaustion from outside: connections that never send a request (or half of one), an
 * event-stream reader that never reads, side blocks spammed at the node. Each costs the node a
 * bounded amount, and the node keeps answering everyone else.
 */
import { EventEmitter } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../src/api/deps.js';
import { streamEvents } from '../../src/api/routes/events.js';
import { SIDE_BURST } from '../../src/chain/sideBranches.js';
import { type Block, encodeBlock, toHex } from '../../src/core/index.js';
import { blockOn } from '../support/chainBuilder.js';
import { closeNodesAfterEach, expectError, get, postJson } from '../support/http.js';
import { startP2pNode } from '../support/p2p.js';

closeNodesAfterEach();
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

describe('connections that take without giving', () => {
  it('300 idle and 50 half-sent requests leave the node answering', async () => {
    const node = await startP2pNode();
    await Promise.all(Array.from({ length: 300 }, () => open(node.url)));
    const half = await Promise.all(Array.from({ length: 50 }, () => open(node.url)));
    for (const socket of half) socket.write('POST /api/tx HTTP/1.1\r\nHost: x\r\nContent-Le');
    const info = await get(`${node.url}/api/info`);
    expect(info.status).toBe(200);
    const sent = await postJson(`${node.url}/api/tx`, { hex: 'zz' });
    expectError(sent, 400, 'API_BAD_REQUEST');
  });

  it('an event-stream reader that never reads is cut off once its backlog passes the bound', async () => {
    const events = new EventEmitter<{ event: [NodeEvent] }>();
    const maxBuffered = 64 * 1024;
    let response: ServerResponse | undefined;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      response = res;
      streamEvents(res, events, maxBuffered);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const socket = await open(`http://127.0.0.1:${port}`);
      socket.write(`GET /events HTTP/1.1\r\nHost: x\r\n\r\n`);
      socket.pause(); // and never read: the kernel's buffers fill, then the node's
      while (!response) await new Promise((resolve) => setImmediate(resolve));
      const closed = new Promise<void>((resolve) => response!.once('close', () => resolve()));
      let isClosed = false;
      void closed.then(() => {
        isClosed = true;
      });
      const data = 'x'.repeat(1_000);
      let most = 0;
      let sent = 0;
      // Up to 200 MB of events: far past any kernel buffer; the cut must come long before.
      while (!isClosed && sent < 200_000) {
        for (let i = 0; i < 100; i++) events.emit('event', { type: 'tx', data });
        sent += 100;
        most = Math.max(most, response.writableLength);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(isClosed).toBe(true);
      expect(sent).toBeLessThan(200_000);
      expect(most).toBeLessThanOrEqual(maxBuffered + 1_100 * 100);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('side-block spam over HTTP', () => {
  it('takes a burst of rivals from one sender, then 429; a deep fork is 422; the tip stays', async () => {
    const node = await startP2pNode();
    const main: Block[] = [node.chain.getBlock(node.chain.tip)];
    for (let i = 0; i < 15; i++) {
      const block = blockOn(main.at(-1)!);
      expect((await node.chain.addBlock(block)).ok).toBe(true);
      main.push(block);
    }
    const tip = node.chain.tip.hashHex;
    const post = (block: Block) =>
      postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(block)) });
    const deep = await post(blockOn(main[1]!));
    expectError(deep, 422, 'POLICY_FORK_TOO_DEEP');
    const rivalParent = main.at(-2)!;
    for (let i = 0; i < SIDE_BURST; i++) {
      const rival = await post(blockOn(rivalParent, []));
      expect(rival.status, JSON.stringify(rival.body)).toBe(200);
      expect(rival.body.status).toBe('side');
    }
    expectError(await post(blockOn(rivalParent)), 429, 'POLICY_SIDE_BLOCK_RATE');
    expect(node.chain.tip.hashHex).toBe(tip);
    expect(node.chain.sideCount).toBe(SIDE_BURST);
    // A block that extends the tip is never held back.
    const next = await post(blockOn(main.at(-1)!));
    expect(next.body.status).toBe('connected');
  });
});
