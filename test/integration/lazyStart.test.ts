/**
 * What an idle node leaves unloaded until it is needed (issue 13, aim 5) still works when it is:
 * the mining workers (never started at start: the node reports the kernel and threads they will
 * run, planned on the main thread), the dashboard's files (read at the first request) and the
 * Swagger UI at /docs (its plugin loaded at the first request, answering through inject).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findWebRoot } from '../../src/api/routes/home.js';
import { loadKernel } from '../../src/miner/index.js';
import { closeNodesAfterEach, get, postJson, startNode } from '../support/http.js';

closeNodesAfterEach();

describe('a node started idle', { timeout: 60_000 }, () => {
  it('reports the mining kernel before its workers run, and mines with that kernel', async () => {
    const node = await startNode();
    const planned = {
      kernel: loadKernel('auto').kernel.name,
      threads: availableParallelism(),
    };
    const before = node.miner.status();
    expect({ kernel: before.kernel, threads: before.threads }).toEqual(planned);

    const mined = await postJson(`${node.url}/mine`, {});
    expect(mined.status).toBe(200);
    expect(mined.body).toMatchObject({ height: 1 });
    // The workers started by /mine say what they run: the plan was right.
    const after = node.miner.status();
    expect({ kernel: after.kernel, threads: after.threads }).toEqual(planned);
  });

  it('serves the dashboard and its assets from its first request on', async () => {
    const node = await startNode();
    const root = findWebRoot();
    const home = await get(`${node.url}/`);
    expect(home.status).toBe(200);
    if (!root) {
      // A checkout without `npm run build`: the page says so.
      expect(String(home.body)).toContain('npm run build');
      return;
    }
    const index = readFileSync(join(root, 'index.html'), 'utf8');
    expect(home.body).toBe(index);
    const asset = /\/assets\/[^"]+\.js/.exec(index)?.[0];
    expect(asset).toBeDefined();
    for (let i = 0; i < 2; i++) {
      const answer = await get(`${node.url}${asset}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(readFileSync(join(root, asset!), 'utf8'));
    }
    expect((await get(`${node.url}/assets/none.js`)).status).toBe(404);
  });

  it('serves the API docs page, its files and 404s as before', async () => {
    const node = await startNode();
    const page = await get(`${node.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(String(page.body)).toContain('/docs/static/swagger-ui.css');

    const css = await get(`${node.url}/docs/static/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('access-control-allow-origin')).toBe('*');
    const etag = css.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(
      (
        await get(`${node.url}/docs/static/swagger-ui.css`, {
          'if-none-match': etag!,
          // fetch adds Cache-Control: no-cache to a conditional request unless one is given.
          'cache-control': 'max-age=0',
        })
      ).status,
    ).toBe(304);

    const spec = await get(`${node.url}/docs/json`);
    expect(spec.status).toBe(200);
    expect(spec.body).toMatchObject({ openapi: expect.any(String), paths: expect.any(Object) });

    const missing = await get(`${node.url}/docs/static/none.js`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'API_NOT_FOUND' } });
  });
});
