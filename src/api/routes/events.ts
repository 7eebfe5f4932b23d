/**
 * A live stream of what happens on the node, as Server-Sent Events: `block` (connected),
 * `reorg`, `tx` (entered the mempool) and `miner` (status). A browser's EventSource reconnects
 * by itself; a comment line every 15 s keeps proxies from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import { contract } from '../contract.js';
import type { ApiDeps, NodeEvent } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';

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
      res.write(`retry: 2000\n\n`);
      const send = (event: NodeEvent) =>
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      deps.events.on('event', send);
      open.add(res);
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        deps.events.off('event', send);
        open.delete(res);
      });
    },
  });
}
