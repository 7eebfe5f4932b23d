/**
 * One definition of the HTTP API (src/api/contract.ts), and everything that speaks of it in step:
 * the OpenAPI a node serves at /docs/json lists exactly the contract's routes with their real
 * statuses and answer schemas, docs/api.md's table is the contract's, the error list /docs links
 * to is served by the node itself, and the example *Try it out* fills in for POST
 * /transactions/new works as it is.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/api/contract.js';
import { httpStatus } from '../../src/api/httpStatus.js';
import { errorMeanings, labParams } from '../../src/core/index.js';
import { penaltyOf } from '../../src/p2p/penaltyOf.js';
import { apiTableRows } from '../support/apiTable.js';
import { closeNodesAfterEach, get, postJson, startNode } from '../support/http.js';

closeNodesAfterEach();

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content: Record<string, { example?: unknown; schema?: unknown }> };
}
interface OpenApi {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
}

const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('the contract', () => {
  it('is the OpenAPI the node serves: every route, its statuses and answer schemas', async () => {
    const node = await startNode();
    const spec = (await get(`${node.url}/docs/json`)).body as OpenApi;
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // The lab's routes exist only on nodes started with --lab (test/integration/lab/).
    const routes = Object.values(contract).filter((route) => !route.lab);
    expect(documented.sort()).toEqual(
      routes.map((route) => `${route.method} ${openApiPath(route.url)}`).sort(),
    );
    for (const route of routes) {
      const operation = spec.paths[openApiPath(route.url)]![route.method.toLowerCase()]!;
      const where = `${route.method} ${route.url}`;
      expect(Object.keys(operation.responses).sort(), where).toEqual(
        Object.keys(route.schema.response).sort(),
      );
      for (const [status, answer] of Object.entries(operation.responses)) {
        expect(answer.content, `${where} ${status} has a schema`).toBeDefined();
      }
      // Each error status lists the codes that answer with it, and only codes of the table.
      for (const code of route.codes) {
        expect(httpStatus[code], `${where}: ${code}`).toBeDefined();
        const status = String(httpStatus[code]);
        expect(Object.keys(operation.responses), `${where}: ${code}`).toContain(status);
      }
    }
    // The statuses the node really answers, not 200 for everything.
    expect(Object.keys(spec.paths['/api/tx']!.post!.responses)).toContain('201');
    expect(Object.keys(spec.paths['/api/tx']!.post!.responses)).not.toContain('200');
    expect(Object.keys(spec.paths['/api/blocks']!.post!.responses)).toContain('202');
    expect(Object.keys(spec.paths['/api/p2p/announce']!.post!.responses)).toContain('202');
  });

  it("lists the lab's routes too on a node started with --lab", async () => {
    const node = await startNode({ params: labParams, lab: { hashRate: null } });
    const spec = (await get(`${node.url}/docs/json`)).body as OpenApi;
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      Object.values(contract)
        .map((route) => `${route.method} ${openApiPath(route.url)}`)
        .sort(),
    );
  });

  it('describes the answers written by hand (streamed), as the node checks the others', async () => {
    const node = await startNode();
    expect((await postJson(`${node.url}/mine`, {})).status).toBe(200);
    const chain = await get(`${node.url}/chain`);
    expect([...Value.Errors(contract.chain.schema.response[200], chain.body)]).toEqual([]);
    expect(chain.body.length).toBe(2);
    const resolved = await get(`${node.url}/nodes/resolve`);
    expect([...Value.Errors(contract.resolve.schema.response[200], resolved.body)]).toEqual([]);
  });

  it('is the table of docs/api.md', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((line) => /^\| (GET|POST) \|/.test(line));
    expect(rows, 'docs/api.md: paste the table test/support/apiTable.ts makes').toEqual(
      apiTableRows(),
    );
  });

  it('links /docs to the error list the node serves, which is the error table', async () => {
    const node = await startNode();
    const spec = (await get(`${node.url}/docs/json`)).body as OpenApi;
    expect(spec.info.description).toContain('(/api/errors)');
    const answer = await get(`${node.url}/api/errors`);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toEqual(
      Object.entries(errorMeanings).map(([code, meaning]) => ({
        code,
        status: httpStatus[code as keyof typeof httpStatus],
        penalty: penaltyOf(code as keyof typeof httpStatus),
        meaning,
      })),
    );
  });

  it("fills POST /transactions/new's example with the node's address, and it works as it is", async () => {
    const node = await startNode();
    const spec = (await get(`${node.url}/docs/json`)).body as OpenApi;
    const example = spec.paths['/transactions/new']!.post!.requestBody!.content['application/json']!
      .example as Record<string, unknown>;
    expect(example).toMatchObject({ sender: node.nodeKey.address });
    expect((await postJson(`${node.url}/mine`, {})).status).toBe(200);
    const sent = await postJson(`${node.url}/transactions/new`, example);
    expect(sent.status).toBe(201);
    expect(sent.body.transaction).toMatchObject({ sender: node.nodeKey.address, amount: 1 });
  });
});
