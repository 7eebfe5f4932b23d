/**
 * The options of the server's ajv (server.ts), which the validators generated at build time share
 * (scripts/precompileSchemas.ts). NOTE: strict schemas: no silent coercion of "5" into 5, no silent removal of unknown fields.
 * PERF: `validateSchema: false`: ajv checked each route's schema against its meta-schema, which
 * it compiled for that on the node's first request: 160 ms of a fresh node's first register +
 * resolve (node --cpu-prof, bench/adopt.ts), and a first headers request 60–90 ms → 21–32 ms.
 * test/unit/api/routeSchemas.test.ts checks every schema of the contract instead.
 */
export const SERVER_AJV_OPTIONS = {
  coerceTypes: false,
  removeAdditional: false,
  allErrors: false,
  validateSchema: false,
} as const;
