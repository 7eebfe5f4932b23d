import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  decodeTx,
  encodeAddress,
  parseAddress,
  parseHex,
  type Result,
  spendableAt,
  type Tx,
  toHex,
  txFromJson,
  txToJson,
} from '../../core/index.js';
import { ApiError, errorBody, unwrap } from '../apiError.js';
import type { ApiDeps } from '../deps.js';
import { pageLimit } from './blocks.js';

export const MAX_BATCH = 1_000;

const TxBody = Type.Union([
  Type.Object(
    { hex: Type.String({ maxLength: 400, pattern: '^[0-9a-fA-F]*$' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.String({ maxLength: 20 }),
      id: Type.Optional(Type.String({ maxLength: 64 })),
      chain_id: Type.Integer(),
      from: Type.String({ maxLength: 100 }),
      to: Type.String({ maxLength: 100 }),
      amount: Type.Union([Type.String({ maxLength: 30 }), Type.Integer()]),
      fee: Type.Union([Type.String({ maxLength: 30 }), Type.Integer()]),
      nonce: Type.Union([Type.String({ maxLength: 30 }), Type.Integer()]),
      signature: Type.String({ maxLength: 128 }),
    },
    { additionalProperties: false },
  ),
]);
const TxId = Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }) });
const AddressParam = Type.Object({ address: Type.String({ maxLength: 100 }) });
const HistoryQuery = Type.Object(
  {
    before_height: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);

export function registerTxRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { chain, mempool, params } = deps;

  const parseTx = (body: unknown): Result<Tx> => {
    const hex = (body as { hex?: unknown }).hex;
    if (typeof hex === 'string') return decodeTx(parseHex(hex) ?? new Uint8Array(1));
    return txFromJson(body, params);
  };
  const submit = async (body: unknown) => {
    const entry = unwrap(await mempool.add(unwrap(parseTx(body))));
    return { id: entry.idHex, status: 'pending' as const };
  };

  app.post(
    '/api/tx',
    {
      schema: {
        tags: ['transactions'],
        summary: 'Submit one signed transfer (JSON view or {hex})',
        body: TxBody,
      },
    },
    async (request, reply) => {
      reply.code(201);
      return submit(request.body);
    },
  );

  app.post(
    '/api/tx/batch',
    {
      schema: {
        tags: ['transactions'],
        summary: `Submit up to ${MAX_BATCH} signed transfers; each gets its own result`,
        body: Type.Object(
          { transactions: Type.Array(TxBody, { maxItems: MAX_BATCH }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { transactions } = request.body as { transactions: unknown[] };
      const parsed = transactions.map(parseTx);
      const valid = parsed.flatMap((p) => (p.ok ? [p.value] : []));
      // PERF: every signature is checked at once on all cores; admission keeps the batch's order.
      const admitted = await mempool.addBatch(valid);
      let next = 0;
      const results = parsed.map((p) => {
        const outcome = p.ok ? admitted[next++]! : p;
        return outcome.ok
          ? { id: outcome.value.idHex, status: 'pending' as const }
          : errorBody(outcome.code, outcome.detail);
      });
      return { accepted: results.filter((r) => 'id' in r).length, results };
    },
  );

  app.get(
    '/api/tx/:id',
    {
      schema: {
        tags: ['transactions'],
        summary:
          'A transaction: pending, confirmed with its block, or recently dropped with the reason',
        params: TxId,
      },
    },
    async (request) => {
      const idHex = (request.params as { id: string }).id.toLowerCase();
      const pending = mempool.get(idHex);
      if (pending) return { status: 'pending', transaction: txToJson(pending.tx, params) };
      const location = chain.store.getTxLocation(parseHex(idHex)!);
      if (!location) {
        const dropped = mempool.dropped.get(idHex);
        if (dropped) {
          return {
            status: 'dropped',
            transaction: txToJson(dropped.tx, params),
            reason: { code: dropped.code, message: dropped.message },
            dropped_at_ms: dropped.droppedAtMs,
          };
        }
        throw new ApiError(
          'API_NOT_FOUND',
          `no transaction ${idHex} in the mempool, on the main chain or recently dropped`,
        );
      }
      const entry = chain.index.main[location.height]!;
      const tx = chain.getBlock(entry).txs[location.index]!;
      return {
        status: 'confirmed',
        transaction: txToJson(tx, params),
        block_hash: entry.hashHex,
        height: location.height,
        index: location.index,
        confirmations: chain.tip.header.height - location.height + 1,
      };
    },
  );

  app.get(
    '/api/mempool',
    {
      schema: {
        tags: ['transactions'],
        summary: 'Pending transfers, highest fee first (at most 500 listed)',
      },
    },
    async () => {
      const entries = mempool
        .entries()
        .sort((a, b) => (a.tx.fee > b.tx.fee ? -1 : a.tx.fee < b.tx.fee ? 1 : 0));
      return {
        count: mempool.size,
        bytes: mempool.bytes,
        transactions: entries.slice(0, 500).map((e) => txToJson(e.tx, params)),
      };
    },
  );

  const keyOf = (address: string) => toHex(unwrap(parseAddress(address, params.addressPrefix)));

  app.get(
    '/api/address/:address',
    {
      schema: {
        tags: ['addresses'],
        summary: 'Balance, spendable balance and nonce of an address',
        params: AddressParam,
      },
    },
    async (request) => {
      const address = (request.params as { address: string }).address;
      const key = keyOf(address);
      const account = chain.state.getAccount(key) ?? { balance: 0n, nonce: 0n, locks: [] };
      const spendable = spendableAt(account, chain.tip.header.height + 1);
      return {
        address: encodeAddress(parseHex(key)!, params.addressPrefix),
        balance: `${account.balance}`,
        spendable: `${spendable}`,
        immature: `${account.balance - spendable}`,
        nonce: `${account.nonce}`,
        next_nonce: `${mempool.nextNonce(key)}`,
        pending: mempool.pendingOf(key).length,
      };
    },
  );

  app.get(
    '/api/address/:address/history',
    {
      schema: {
        tags: ['addresses'],
        summary: "An address's confirmed transactions, newest first",
        params: AddressParam,
        querystring: HistoryQuery,
      },
    },
    async (request) => {
      const key = keyOf((request.params as { address: string }).address);
      const q = request.query as { before_height?: string; limit?: string };
      const before = q.before_height === undefined ? undefined : Number(q.before_height);
      const entries = chain.store.getHistory(key, pageLimit(q.limit), before);
      return {
        transactions: entries.map((e) => {
          const tx = chain.getBlock(chain.index.main[e.height]!).txs[e.index]!;
          return {
            ...txToJson(tx, params),
            height: e.height,
            index: e.index,
            confirmations: chain.tip.header.height - e.height + 1,
          };
        }),
        pending: mempool.pendingOf(key).map((e) => txToJson(e.tx, params)),
      };
    },
  );
}
