/**
 * Joining a class: how to reach this node (GET /api/join, shown on the Network page with a QR
 * code), and its faucet (POST /api/faucet), which pays a new wallet from the node's own coins.
 */
import { formatCoins } from '../../core/index.js';
import { ApiError, unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps, FaucetPort } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';

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

const noFaucet = () =>
  new ApiError('FAUCET_OFF', 'this node has no faucet (start it with --faucet COINS)');

export function registerJoinRoutes(app: Api, deps: ApiDeps): void {
  const { faucet } = deps;

  app.route({
    ...routeOptions(contract.join),
    handler: async () => {
      const join = deps.join();
      return {
        urls: [...join.urls],
        dashboard_url: join.urls[0] ? `${join.urls[0]}/` : null,
        command: join.command ?? null,
        problem: join.problem ?? null,
        faucet: faucetView(faucet),
      };
    },
  });

  app.route({ ...routeOptions(contract.faucet), handler: async () => faucetView(faucet) });

  app.route({
    ...routeOptions(contract.faucetPay),
    handler: async (request, reply) => {
      if (!faucet) throw noFaucet();
      const address = request.body.address.trim();
      const paid = unwrap(await faucet.pay(address, request.ip));
      reply.code(201);
      return {
        message: `Sent ${formatCoins(paid.amountUnits)} coins to ${address}`,
        id: paid.idHex,
        amount: `${paid.amountUnits}`,
        amount_coins: formatCoins(paid.amountUnits),
      };
    },
  });

  app.route({
    ...routeOptions(contract.faucetConfig),
    handler: async (request) => {
      if (!faucet) throw noFaucet();
      faucet.setEnabled(request.body.enabled);
      return faucetView(faucet);
    },
  });
}
