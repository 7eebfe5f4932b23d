/**
 * One search box, one request: what a height, a hash or id (whole, or any unique prefix of 4 hex
 * characters or more, such as the 8 the dashboard shows), or an address is on this node. 200 with
 * what was found (possibly nothing), so a page that searches never meets a 404 for what it merely
 * guessed; a prefix that several blocks or transactions share is a 409 API_AMBIGUOUS_PREFIX that
 * lists them, or, with `ambiguous=list`, a 200 whose `found` are those candidates.
 */
import { encodeAddress, fromHex, parseAddress, parseHex, toHex } from '../../core/index.js';
import { ApiError } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';
import type { Found } from '../schemas.js';

/** The most candidates an ambiguous prefix lists. */
export const MAX_CANDIDATES = 10;

/** What a search found; `ambiguous`: several blocks or transactions share the prefix. */
interface Searched {
  found: Found[];
  problem?: string;
  ambiguous?: boolean;
}

export function registerSearchRoutes(app: Api, deps: ApiDeps): void {
  const { chain, mempool, params } = deps;

  const find = (text: string): Searched => {
    const q = text.trim().toLowerCase();
    if (/^\d{1,10}$/.test(q)) {
      const entry = chain.main[Number(q)];
      if (entry)
        return {
          found: [{ kind: 'block', hash: entry.hashHex, height: Number(q), main_chain: true }],
        };
      // NOTE: a short hash may be all digits (one in 40 of 8 characters): no such height, a prefix?
      const prefixed = q.length >= 4 ? byPrefix(q) : { found: [] };
      return prefixed.found.length > 0
        ? prefixed
        : { found: [], problem: `no block at height ${q}; the tip is ${chain.tip.header.height}` };
    }
    if (/^[0-9a-f]{4,63}$/.test(q)) return byPrefix(q);
    if (/^[0-9a-f]{64}$/.test(q)) {
      const found: Found[] = [];
      const entry = chain.get(q);
      if (entry) {
        const main = chain.isOnMain(entry);
        found.push({ kind: 'block', hash: q, height: entry.header.height, main_chain: main });
      }
      const status = mempool.get(q)
        ? 'pending'
        : chain.getTxLocation(parseHex(q)!)
          ? 'confirmed'
          : mempool.dropped.get(q)
            ? 'dropped'
            : undefined;
      if (status) found.push({ kind: 'tx', id: q, status });
      return found.length > 0
        ? { found }
        : { found, problem: 'no block or transaction with that hash on this node' };
    }
    const key = parseAddress(q, params.addressPrefix);
    if (key.ok) {
      return {
        found: [{ kind: 'address', address: encodeAddress(key.value, params.addressPrefix) }],
      };
    }
    return {
      found: [],
      problem: q.startsWith(`${params.addressPrefix}1`)
        ? key.detail
        : `search for a block height (like 12), a block hash or transaction id (64 hex characters, or its first 4 or more), or an address (${params.addressPrefix}1…)`,
    };
  };

  /**
   * PERF: blocks by a scan of the block index in memory (about 4 ms for 100,000 blocks); main-chain
   * transactions by a range of the store's id index; pending ones by a scan of the mempool.
   */
  const byPrefix = (q: string): Searched => {
    const most = MAX_CANDIDATES + 1;
    const found: Found[] = [];
    for (const entry of chain.entries()) {
      if (!entry.hashHex.startsWith(q)) continue;
      const main = chain.isOnMain(entry);
      found.push({
        kind: 'block',
        hash: entry.hashHex,
        height: entry.header.height,
        main_chain: main,
      });
      if (found.length >= most) break;
    }
    const low = fromHex(q.padEnd(64, '0'));
    const high = fromHex(q.padEnd(64, 'f'));
    for (const id of chain.txIdsBetween(low, high, most)) {
      found.push({ kind: 'tx', id: toHex(id), status: 'confirmed' });
    }
    for (const entry of mempool.entries()) {
      if (found.length >= most) break;
      if (entry.idHex.startsWith(q)) found.push({ kind: 'tx', id: entry.idHex, status: 'pending' });
    }
    if (found.length === 0)
      return { found, problem: `no block or transaction starts with ${q} on this node` };
    if (found.length === 1) return { found };
    const listed = found
      .slice(0, MAX_CANDIDATES)
      .map((f) =>
        f.kind === 'block'
          ? `block ${f.hash} (height ${f.height})`
          : f.kind === 'tx'
            ? `transaction ${f.id}`
            : '',
      );
    const more = found.length > MAX_CANDIDATES ? ', and more' : '';
    return {
      found: found.slice(0, MAX_CANDIDATES),
      ambiguous: true,
      problem: `${q} starts ${found.length > MAX_CANDIDATES ? 'more than ' : ''}${Math.min(found.length, MAX_CANDIDATES)} hashes: ${listed.join('; ')}${more}. Give more characters.`,
    };
  };

  app.route({
    ...routeOptions(contract.search),
    handler: async (request) => {
      const { q, ambiguous: asked } = request.query;
      const { found, problem, ambiguous } = find(q);
      // NOTE: a browser logs every 4xx answer as an error in its console, so the dashboard asks
      // for the candidates as a plain answer (ambiguous=list); other callers get the 409.
      if (ambiguous && asked !== 'list') throw new ApiError('API_AMBIGUOUS_PREFIX', problem!);
      return { query: q, found, ...(problem ? { problem } : {}) };
    },
  });
}
