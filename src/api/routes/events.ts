/**
 * A live stream of what happens on the node, as Server-Sent Events: `block` (connected),
 * `reorg`, `tx` (entered the mempool) and `miner` (status). A browser's EventSource reconnects
 * by itself; a comment line every 15 s keeps proxies from closing an idle stream.
 */
import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { contract } from '../contract.js';
import type { ApiDeps, NodeEvent } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';

/**
 * SECURITY: what the node holds for one reader before it gives up on it. A reader that does not
 * read (a stalled tab, a client that connects and never reads) would otherwise make the node
 * buffer every event for it, without end; past this, its stream is closed (an EventSource
 * reconnects, and reads the page state again).
 */
export const MAX_BUFFERED_EVENT_BYTES = 1024 * 1024;

export function registerEventRoutes(app: Api, deps: ApiDeps): void {
  const open = new Set<ServerResponse>();
  // A stream never ends by itself: end them all when the node closes, or close() waits forever.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  app.route({
    ...routeOptions(contract.events),
    handler: (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'access-control-allow-origin': '*',
      });
      open.add(res);
      const stop = streamEvents(res, deps.events);
      request.raw.on('close', () => {
        stop();
        open.delete(res);
      });
    },
  });
}

/**
 * Writes the node's events to `res` as they come, until it closes; returns what stops it. A
 * reader that lets more than `maxBuffered` bytes pile up is cut off.
 */
export function streamEvents(
  res: ServerResponse,
  events: EventEmitter<{ event: [NodeEvent] }>,
  maxBuffered = MAX_BUFFERED_EVENT_BYTES,
): () => void {
  const write = (text: string) => {
    if (res.destroyed) return;
    if (res.writableLength > maxBuffered) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  const send = (event: NodeEvent) =>
    write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
  write(`retry: 2000\n\n`);
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), 15_000);
  events.on('event', send);
  return () => {
    clearInterval(keepAlive);
    events.off('event', send);
  };
}
