import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { MAX_REORGS_LISTED } from '../explorerContract.js';
import { reorgJson } from '../reorgView.js';
import { type Api, routeOptions } from '../routeOptions.js';
import { pageLimit } from './blocks.js';

export function registerReorgRoutes(app: Api, deps: ApiDeps): void {
  app.route({
    ...routeOptions(contract.reorgs),
    handler: async (request) => {
      const limit = pageLimit(request.query.limit, 20, MAX_REORGS_LISTED);
      return { reorgs: deps.reorgs.latest(limit).map((r) => reorgJson(r, deps.params)) };
    },
  });
}
