/**
 * The routes of the tutorials (shared/seeds), as thin adapters over the same core: a learner can
 * type the tutorials' commands against blockyard. Peers (/nodes/...) arrive with the network.
 */
import type { FastifyRequest } from 'fastify';
import { fail, parseAddress, parseCoins, type Result, txFromJson } from '../../core/index.js';
import { ApiError, unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { MAX_MINE_COUNT } from '../inputs.js';
import { effortView, miningReport } from '../miningReport.js';
import { type Api, routeOptions, sendJsonStream } from '../routeOptions.js';
import { isOperator } from '../security.js';
import { tutorialBlock, tutorialTx } from '../views.js';

function coinsField(value: unknown, name: string): Result<bigint> {
  const units =
    typeof value === 'number' || typeof value === 'string' ? parseCoins(String(value)) : undefined;
  return units === undefined
    ? fail(
        'JSON_INVALID_FIELD',
        `${name} must be a number of coins like 5 or 0.25 (at most 8 decimals); got ${JSON.stringify(value)}`,
      )
    : { ok: true, value: units };
}

export function registerTutorialRoutes(app: Api, deps: ApiDeps): void {
  const { chain, mempool, miner, params, nodeWallet, views } = deps;
  const nextIndex = () => chain.tip.header.height + 2;

  app.route({
    ...routeOptions(contract.chain),
    handler: async (_request, reply) => {
      // PERF: written from views built once (blockViews.ts), streamed when long: bench/reads.ts.
      const entries = chain.main.slice();
      return sendJsonStream(
        reply,
        views.answer(entries, '{"chain":[', `],"length":${entries.length}}`),
      );
    },
  });

  // ?count=N mines N blocks (issue 15, point 7); the answer is the last one's, as the
  // tutorial's, with each block's effort (tries, time, hash rate, reward) beside it.
  const mine = async (request: FastifyRequest) => {
    const { count: asked } = request.query as { count?: string };
    const count = asked === undefined ? 1 : Number(asked);
    if (!(Number.isInteger(count) && count >= 1 && count <= MAX_MINE_COUNT)) {
      throw new ApiError(
        'API_BAD_REQUEST',
        `count must be a number of blocks from 1 to ${MAX_MINE_COUNT}, not "${asked}"`,
      );
    }
    const mined = unwrap(await miner.mineMany(count));
    const last = mined[mined.length - 1]!;
    const block = tutorialBlock(chain.getBlock(last.entry), params);
    return {
      message: mined.length === 1 ? 'New Block Forged' : `${mined.length} New Blocks Forged`,
      ...block,
      ...effortView(last),
      blocks: mined.map(miningReport),
    };
  };
  app.route({ ...routeOptions(contract.mine), handler: mine });
  // No parameters: no body, {} or an empty form; anything else is a mistake worth saying so.
  app.route({ ...routeOptions(contract.minePost), handler: mine });

  app.route({
    ...routeOptions(contract.newTransaction),
    handler: async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const entry =
        body.signature !== undefined
          ? unwrap(await mempool.add(unwrap(txFromJson(body, params))))
          : await sendForNode(request, body);
      reply.code(201);
      return {
        message: `Transaction will be added to Block ${nextIndex()}`,
        index: nextIndex(),
        id: entry.idHex,
        transaction: tutorialTx(entry.tx, params),
      };
    },
  });

  /** The tutorials' unsigned form: only for the node's own address, and only for the operator. */
  async function sendForNode(request: FastifyRequest, body: Record<string, unknown>) {
    const missing = ['sender', 'recipient', 'amount'].filter((k) => body[k] === undefined);
    if (missing.length > 0) {
      throw new ApiError(
        'API_BAD_REQUEST',
        `Missing values: ${missing.join(', ')} (or send a signed transfer with a signature)`,
      );
    }
    // A nonce, chain id or key given here would be silently ignored: refuse them instead.
    const signedOnly = ['type', 'id', 'chain_id', 'from', 'to', 'nonce'].filter(
      (k) => body[k] !== undefined,
    );
    if (signedOnly.length > 0) {
      throw new ApiError(
        'API_BAD_REQUEST',
        `${signedOnly.join(', ')} belong to a signed transfer; without a signature send only sender, recipient, amount and fee`,
      );
    }
    if (body.sender !== nodeWallet.address) {
      throw new ApiError(
        'API_UNSIGNED_TRANSACTION',
        `${String(body.sender)} is not this node's address (${nodeWallet.address}); sign the transfer with its key (blockyard wallet send, or the wallet page) and send it with its signature`,
      );
    }
    if (!isOperator(request, deps.apiToken)) {
      throw new ApiError(
        'API_UNAUTHORIZED',
        "spending the node's own coins is an operator action: call it from this machine, or send Authorization: Bearer <token>",
      );
    }
    const to = unwrap(parseAddress(String(body.recipient), params.addressPrefix));
    const amount = unwrap(coinsField(body.amount, 'amount'));
    const fee = body.fee === undefined ? undefined : unwrap(coinsField(body.fee, 'fee'));
    return unwrap(await nodeWallet.send(to, amount, fee));
  }

  app.route({
    ...routeOptions(contract.pendingTutorial),
    handler: async () => ({
      transactions: mempool.entries().map((e) => tutorialTx(e.tx, params)),
    }),
  });
}
