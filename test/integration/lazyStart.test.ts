/**
 * What an idle node leaves unloaded until it is needed (issue 13, aim 5) still works when it is:
 * the mining workers (never started at start: the node reports the kernel and threads they will
 * run, planned on the main thread) and the dashboard's files (read at the first request).
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
});
