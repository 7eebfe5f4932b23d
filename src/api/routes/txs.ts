import {
  decodeTx,
  encodeAddress,
  equalBytes,
  ok,
  parseAddress,
  parseHex,
  type Result,
  spendableAt,
  type Tx,
  toHex,
  txFromJsonEncoded,
  txToJson,
} from '../../core/index.js';
import { ApiError, errorBody, unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';
import { type Now, txLife } from '../txLife.js';
import { pageLimit } from './blocks.js';

export function registerTxRoutes(app: Api, deps: ApiDeps): void {
  const { chain, mempool, params, reorgs } = deps;
  const blockTime = (hashHex: string) => chain.get(hashHex)?.header.timestampMs ?? null;

  /** A transfer from its JSON view or its hex, with its canonical bytes (and id, if hashed). */
  const parseTx = (body: unknown): Result<{ tx: Tx; bytes: Uint8Array; idHex?: string }> => {
    const hex = (body as { hex?: unknown }).hex;
    if (typeof hex === 'string') {
      const bytes = parseHex(hex) ?? new Uint8Array(1);
      const tx = decodeTx(bytes);
      return tx.ok ? ok({ tx: tx.value, bytes }) : tx;
    }
    return txFromJsonEncoded(body, params);
  };
  const submit = async (body: unknown) => {
    const { tx, bytes, idHex } = unwrap(parseTx(body));
    const entry = unwrap(await mempool.add(tx, bytes, idHex));
    return { id: entry.idHex, status: 'pending' as const };
  };

  app.route({
    ...routeOptions(contract.submitTx),
    handler: async (request, reply) => {
      reply.code(201);
      return submit(request.body);
    },
  });

  app.route({
    ...routeOptions(contract.submitTxs),
    handler: async (request) => {
      const { transactions } = request.body;
      // NOTE: reading the body on the signature workers (JSON.parse, the schema's checks,
      // txFromJsonEncoded or decodeTx, the ids), this thread only decoding each transfer's 157
      // bytes, was built and measured, and not taken (branch w-intake-worker-read, e702298): the
      // work moves to the workers, none of it goes, and a batch's intake is bound by the node's
      // CPU on both cores, not by this thread (its loop 50-80 % busy). Built intake nodes
      // alternated (bench/lib/intakeAlternate.ts, 20 requests a sender, medians): JSON batches,
      // 4 rounds at load 13.5-15.3, node CPU a transfer 136 -> 171 us, this thread 37 -> 38;
      // {hex}, 3 rounds at load 12-15.5, 143 -> 157 us, 38 -> 38. In one process (tsx): this
      // thread's reading 6.4 us a JSON view, a worker's 5.8, what stays here 1.0-1.5.
      const parsed = transactions.map(parseTx);
      const valid = parsed.flatMap((p) => (p.ok ? [p.value] : []));
      // PERF: every signature is checked at once on all cores; admission keeps the batch's order.
      const admitted = await mempool.addBatch(
        valid.map((v) => v.tx),
        valid.map((v) => v.bytes),
        valid.map((v) => v.idHex),
      );
      let next = 0;
      const results = parsed.map((p) => {
        const outcome = p.ok ? admitted[next++]! : p;
        return outcome.ok
          ? { id: outcome.value.idHex, status: 'pending' as const }
          : errorBody(outcome.code, outcome.detail);
      });
      return { accepted: results.filter((r) => 'id' in r).length, results };
    },
  });

  app.route({
    ...routeOptions(contract.tx),
    handler: async (request) => {
      const idHex = request.params.id.toLowerCase();
      const life = (now: Now) => txLife(idHex, reorgs, now, blockTime);
      const pending = mempool.get(idHex);
      if (pending) {
        return {
          status: 'pending' as const,
          transaction: txToJson(pending.tx, params),
          life: life({ status: 'pending' }),
        };
      }
      const location = chain.getTxLocation(parseHex(idHex)!);
      if (!location) {
        const dropped = mempool.dropped.get(idHex);
        if (dropped) {
          const { code, message } = dropped;
          return {
            status: 'dropped' as const,
            transaction: txToJson(dropped.tx, params),
            reason: { code, message },
            dropped_at_ms: dropped.droppedAtMs,
            life: life({ status: 'dropped', code, message, atMs: dropped.droppedAtMs }),
          };
        }
        throw new ApiError(
          'API_NOT_FOUND',
          `no transaction ${idHex} in the mempool, on the main chain or recently dropped`,
        );
      }
      const entry = chain.main[location.height]!;
      const tx = chain.getTx(entry, location.index);
      return {
        status: 'confirmed' as const,
        transaction: txToJson(tx, params),
        block_hash: entry.hashHex,
        height: location.height,
        index: location.index,
        confirmations: chain.tip.header.height - location.height + 1,
        life: life({
          status: 'confirmed',
          block: { hashHex: entry.hashHex, height: location.height },
        }),
      };
    },
  });

  app.route({
    ...routeOptions(contract.mempool),
    handler: async () => {
      const entries = mempool
        .entries()
        .sort((a, b) => (a.tx.fee > b.tx.fee ? -1 : a.tx.fee < b.tx.fee ? 1 : 0));
      return {
        count: mempool.size,
        bytes: mempool.bytes,
        transactions: entries.slice(0, 500).map((e) => txToJson(e.tx, params)),
      };
    },
  });

  /** What others' pending transfers will pay this key (issue 15, point 6: "pending in"). */
  const incomingTo = (keyHex: string): bigint => {
    const key = parseHex(keyHex)!;
    let sum = 0n;
    for (const { tx } of mempool.entries()) {
      if (tx.type === 'transfer' && equalBytes(tx.to, key) && !equalBytes(tx.from, key))
        sum += tx.amount;
    }
    return sum;
  };

  const keyOf = (address: string) => toHex(unwrap(parseAddress(address, params.addressPrefix)));

  app.route({
    ...routeOptions(contract.account),
    handler: async (request) => {
      const address = request.params.address;
      const key = keyOf(address);
      const account = chain.state.getAccount(key) ?? { balance: 0n, nonce: 0n, locks: [] };
      const spendable = spendableAt(account, chain.tip.header.height + 1);
      const own = mempool.pendingOf(key);
      const pendingOut = own.reduce(
        (sum, e) => sum + (e.tx.type === 'transfer' ? e.tx.amount + e.tx.fee : 0n),
        0n,
      );
      const available = spendable > pendingOut ? spendable - pendingOut : 0n;
      return {
        address: encodeAddress(parseHex(key)!, params.addressPrefix),
        balance: `${account.balance}`,
        spendable: `${spendable}`,
        immature: `${account.balance - spendable}`,
        nonce: `${account.nonce}`,
        next_nonce: `${mempool.nextNonce(key)}`,
        pending: own.length,
        pending_out: `${pendingOut}`,
        pending_in: `${incomingTo(key)}`,
        available: `${available}`,
      };
    },
  });

  app.route({
    ...routeOptions(contract.history),
    handler: async (request) => {
      const key = keyOf(request.params.address);
      const q = request.query;
      const before = q.before_height === undefined ? undefined : Number(q.before_height);
      const entries = chain.getHistory(key, pageLimit(q.limit), before);
      return {
        transactions: entries.map((e) => {
          const tx = chain.getTx(chain.main[e.height]!, e.index);
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
  });
}
