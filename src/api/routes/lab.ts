/**
 * The lab's routes (labContract.ts), registered only on nodes started with --lab, and the hook
 * that drops peers' calls over a link the lab cut (src/p2p/links.ts).
 */
import { decodeTx, parseHex, type Tx, txFromJson } from '../../core/index.js';
import { unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps, LabPort } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';

export function registerLabRoutes(app: Api, deps: ApiDeps, lab: LabPort): void {
  // A call from a peer over a cut link is dropped as a dead network would drop it: no answer,
  // the connection closed. Only peers' routes: the lab itself still reaches the node.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/p2p/')) return;
    const port = request.headers['x-blockyard-peer'];
    if (lab.isCutFrom(request.socket.remoteAddress, typeof port === 'string' ? port : undefined)) {
      request.raw.socket.destroy();
      return reply.hijack();
    }
  });

  app.route({ ...routeOptions(contract.labStatus), handler: async () => lab.status() });

  app.route({
    ...routeOptions(contract.labMiner),
    handler: async (request) => {
      await lab.setMiner({ hashRate: request.body.hash_rate, mining: request.body.mining });
      return lab.status();
    },
  });

  app.route({
    ...routeOptions(contract.labLinks),
    handler: async (request) => {
      const { peers, cut, delay_ms } = request.body;
      unwrap(lab.setLinks(peers, { cut, delayMs: delay_ms }));
      return lab.status();
    },
  });

  app.route({
    ...routeOptions(contract.labWithhold),
    handler: async (request) => {
      await lab.withhold(request.body.on);
      return lab.status();
    },
  });

  app.route({
    ...routeOptions(contract.labRelease),
    handler: async (request) => {
      const released = unwrap(await lab.release(request.body.count, request.body.when));
      return { released, status: lab.status() };
    },
  });

  app.route({
    ...routeOptions(contract.labPrivateTx),
    handler: async (request, reply) => {
      const body = request.body as unknown;
      const hex = (body as { hex?: unknown }).hex;
      const tx: Tx = unwrap(
        typeof hex === 'string'
          ? decodeTx(parseHex(hex) ?? new Uint8Array(1))
          : txFromJson(body, deps.params),
      );
      const id = unwrap(lab.addPrivate(tx));
      reply.code(201);
      return { id, status: lab.status() };
    },
  });
}
