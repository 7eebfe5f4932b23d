/**
 * One node per data directory: a second one refuses to start, names the holder and the way out,
 * and harms nothing in the first; a lock left by a process that died is taken over.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { networks } from '../../../src/core/index.js';
import { createInlineNonceSearch } from '../../../src/miner/inlineNonceSearch.js';
import { DataDirInUseError, LOCK_FILE } from '../../../src/node/dataDirLock.js';
import { closeNodesAfterEach, get, startNode, stopNode } from '../../support/http.js';
import { makeTempDir } from '../../support/nodeFixtures.js';
import { mine } from '../../support/p2p.js';
import { runCli } from '../cli/runCli.js';

closeNodesAfterEach();
const temps: { remove: () => void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});
const tempDir = () => {
  const t = makeTempDir();
  temps.push(t);
  return t.dir;
};

describe('a second node on one data directory', () => {
  it('is refused with the holder named; the first node goes on, its token untouched', async () => {
    const dir = tempDir();
    const first = await startNode({ dataDir: dir, search: createInlineNonceSearch() });
    const tokenPath = join(first.dataPath!, 'api-token');
    const token = readFileSync(tokenPath, 'utf8');
    const second = startNode({ dataDir: dir, search: createInlineNonceSearch() });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(
      new RegExp(`process ${process.pid}, ${first.url}\\); stop it, or .* --data-dir`),
    );
    expect(readFileSync(tokenPath, 'utf8')).toBe(token);
    await mine(first);
    expect((await get(`${first.url}/api/info`)).body.height).toBe(1);
    // Once the first has stopped, the folder is free again.
    await stopNode(first);
    const third = await startNode({ dataDir: dir, search: createInlineNonceSearch() });
    expect(third.chain.tip.header.height).toBe(1);
  });

  it('from the command line: exits 1 with a message naming the process and --data-dir', async () => {
    const dir = tempDir();
    const first = await startNode({
      params: networks.tutorial,
      dataDir: dir,
      search: createInlineNonceSearch(),
    });
    const run = await runCli(['node', '--data-dir', dir, '-p', '0', '--miner-threads', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `in use by another blockyard node (process ${process.pid}, ${first.url})`,
    );
    expect(run.stderr).toContain('--data-dir <dir>');
    expect((await get(`${first.url}/api/info`)).status).toBe(200);
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = tempDir();
    const node = await startNode({ dataDir: dir });
    const lockPath = join(node.dataPath!, LOCK_FILE);
    await stopNode(node);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lockPath, JSON.stringify({ pid: gone, url: 'http://127.0.0.1:1' }));
    const again = await startNode({ dataDir: dir });
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual({
      pid: process.pid,
      url: again.url,
    });
  });
});
