/**
 * Joining a class: how to reach this node (GET /api/join, shown on the Network page with a QR
 * code), and its faucet (POST /api/faucet), which pays a new wallet from the node's own coins.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { formatCoins } from '../../core/index.js';
import { ApiError, unwrap } from '../apiError.js';
import type { ApiDeps, FaucetPort } from '../deps.js';

const FaucetRequest = Type.Object(
  { address: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const FaucetConfig = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

function faucetView(faucet: FaucetPort | undefined) {
  if (!faucet)
    return { available: false, enabled: false, amount: null, amount_coins: null, window_ms: null };
  const { enabled, amountUnits, windowMs } = faucet.status();
  return {
    available: true,
    enabled,
    amount: `${amountUnits}`,
    amount_coins: formatCoins(amountUnits),
    window_ms: windowMs,
  };
}

export function registerJoinRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { faucet } = deps;
  const tags = ['node'];

  app.get(
    '/api/join',
    {
      schema: {
        hide: true,
        tags,
        summary: "How other machines join: this node's URLs, a student's command, the faucet",
      },
    },
    async () => {
      const join = deps.join();
      return {
        urls: join.urls,
        dashboard_url: join.urls[0] ? `${join.urls[0]}/` : null,
        command: join.command ?? null,
        problem: join.problem ?? null,
        faucet: faucetView(faucet),
      };
    },
  );

  app.get(
    '/api/faucet',
    {
      schema: {
        hide: true,
        tags,
        summary: 'Whether this node has a faucet, and how much it pays',
      },
    },
    async () => faucetView(faucet),
  );

  app.post(
    '/api/faucet',
    {
      schema: {
        hide: true,
        tags,
        summary: 'Coins from the faucet to an address: once an hour per address and per computer',
        body: FaucetRequest,
      },
    },
    async (request, reply) => {
      if (!faucet)
        throw new ApiError('FAUCET_OFF', 'this node has no faucet (start it with --faucet COINS)');
      const { address } = request.body as { address: string };
      const paid = unwrap(await faucet.pay(address.trim(), request.ip));
      reply.code(201);
      return {
        message: `Sent ${formatCoins(paid.amountUnits)} coins to ${address.trim()}`,
        id: paid.idHex,
        amount: `${paid.amountUnits}`,
        amount_coins: formatCoins(paid.amountUnits),
      };
    },
  );

  app.post(
    '/api/faucet/config',
    {
      config: { operator: true },
      schema: {
        hide: true,
        tags,
        summary: 'Turn the faucet on or off: {enabled: false} (operator)',
        body: FaucetConfig,
      },
    },
    async (request) => {
      if (!faucet)
        throw new ApiError('FAUCET_OFF', 'this node has no faucet (start it with --faucet COINS)');
      faucet.setEnabled((request.body as { enabled: boolean }).enabled);
      return faucetView(faucet);
    },
  );
}
