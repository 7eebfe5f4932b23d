/**
 * The explorer's routes (issues 14 and 15): the reorganisations' story, and what an explorer
 * reads beyond blocks and transactions. Spread into contract.ts, so they are the contract's like
 * any other route: OpenAPI, docs/api.md's table and the typed client all include them.
 */
import { Type } from '@sinclair/typebox';
import { ReorgJson } from './reorgSchemas.js';
import { route } from './route.js';
import { object } from './schemas.js';

export const MAX_REORGS_LISTED = 100;

export const explorerRoutes = {
  reorgs: route({
    method: 'GET',
    url: '/api/reorgs',
    tags: ['blocks'],
    summary: `The latest reorganisations, newest first (limit 1 to ${MAX_REORGS_LISTED}, default 20): blocks left behind, transfers returned, re-confirmed and dropped`,
    querystring: object({
      limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', examples: ['20'] })),
    }),
    ok: { 200: object({ reorgs: Type.Array(ReorgJson) }) },
  }),
} as const;
