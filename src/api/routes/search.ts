/**
 * One search box, one request: what a height, a 64-hex hash or id, or an address is on this
 * node. Always 200 with what was found (possibly nothing), so a page that searches never meets
 * a 404 for what it merely guessed, and a browser's console stays clean.
 */
import { encodeAddress, parseAddress, parseHex } from '../../core/index.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';
import type { Found } from '../schemas.js';

export function registerSearchRoutes(app: Api, deps: ApiDeps): void {
  const { chain, mempool, params } = deps;

  const find = (text: string): { found: Found[]; problem?: string } => {
    const q = text.trim().toLowerCase();
    if (/^\d{1,10}$/.test(q)) {
      const entry = chain.index.main[Number(q)];
      return entry
        ? { found: [{ kind: 'block', hash: entry.hashHex, height: Number(q), main_chain: true }] }
        : { found: [], problem: `no block at height ${q}; the tip is ${chain.tip.header.height}` };
    }
    if (/^[0-9a-f]{64}$/.test(q)) {
      const found: Found[] = [];
      const entry = chain.index.get(q);
      if (entry) {
        const main = chain.index.isOnMain(entry);
        found.push({ kind: 'block', hash: q, height: entry.header.height, main_chain: main });
      }
      const status = mempool.get(q)
        ? 'pending'
        : chain.store.getTxLocation(parseHex(q)!)
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
        : `search for a block height (like 12), a block hash or transaction id (64 hex characters), or an address (${params.addressPrefix}1…)`,
    };
  };

  app.route({
    ...routeOptions(contract.search),
    handler: async (request) => {
      const { q } = request.query;
      const { found, problem } = find(q);
      return { query: q, found, ...(problem ? { problem } : {}) };
    },
  });
}
