/**
 * Joining a class (routes/join.ts): how other machines reach this node, and its faucet. Spread
 * into contract.ts like the explorer's and the lab's routes.
 */
import { Type } from '@sinclair/typebox';
import { route, TX_CODES } from './route.js';
import { Hex64, Nullable, object, Units } from './schemas.js';

const node = ['node'];

export const FaucetView = object({
  available: Type.Boolean({ description: 'the node was started with --faucet' }),
  enabled: Type.Boolean({ description: 'its operator has not turned it off' }),
  amount: Nullable(Units),
  amount_coins: Nullable(Type.String({ examples: ['5.0'] })),
  window_ms: Nullable(
    Type.Integer({ description: 'one payment per address and per computer in this time' }),
  ),
});

export const joinRoutes = {
  join: route({
    method: 'GET',
    url: '/api/join',
    tags: node,
    summary: "How other machines join: this node's URLs, a student's command, the faucet",
    ok: {
      200: object({
        urls: Type.Array(Type.String({ examples: ['http://192.168.1.20:5000'] })),
        dashboard_url: Nullable(Type.String()),
        command: Nullable(Type.String()),
        problem: Nullable(Type.String({ description: 'why nobody can join, when they cannot' })),
        faucet: FaucetView,
      }),
    },
  }),
  faucet: route({
    method: 'GET',
    url: '/api/faucet',
    tags: node,
    summary: 'Whether this node has a faucet, and how much it pays',
    ok: { 200: FaucetView },
  }),
  faucetPay: route({
    method: 'POST',
    url: '/api/faucet',
    tags: node,
    summary: 'Coins from the faucet to an address: once an hour per address and per computer',
    body: object({
      address: Type.String({ minLength: 1, maxLength: 200, examples: ['tut1…'] }),
    }),
    ok: {
      201: object({
        message: Type.String(),
        id: Hex64,
        amount: Units,
        amount_coins: Type.String(),
      }),
    },
    // A faucet payment is a transfer from the node's address: the mempool may refuse it.
    errors: ['FAUCET_OFF', 'FAUCET_LIMIT', 'FAUCET_EMPTY', ...TX_CODES],
  }),
  faucetConfig: route({
    method: 'POST',
    url: '/api/faucet/config',
    tags: node,
    summary: 'Turn the faucet on or off: {enabled: false}',
    operator: true,
    body: object({ enabled: Type.Boolean() }),
    ok: { 200: FaucetView },
    errors: ['FAUCET_OFF'],
  }),
} as const;
