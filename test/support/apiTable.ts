/**
 * The route table of docs/api.md, as the contract (src/api/contract.ts) says it must read: one
 * row per route, with its statuses. test/integration/contract.test.ts keeps the two equal, and
 * prints the table to paste when they differ.
 */
import { contract } from '../../src/api/contract.js';

export function apiTableRows(): string[] {
  return Object.values(contract).map((route) => {
    const statuses = Object.keys(route.schema.response).join(', ');
    const who = route.lab ? 'lab operator' : route.operator ? 'operator' : 'anyone';
    return `| ${route.method} | \`${route.url}\` | ${who} | ${statuses} | ${route.schema.summary.replaceAll('|', '\\|')} |`;
  });
}
