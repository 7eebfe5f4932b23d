/**
 * The SQLite store's WAL checkpoints (WAL_CHECKPOINT_PAGES, sqliteStore.ts): commits stay in the
 * WAL file, not copied into the database file, until it holds that many pages, and a copy of the
 * two files taken meanwhile (what a crash leaves) opens with every commit; past that many pages a
 * commit copies them over, and the WAL file grows no further.
 */
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equalBytes, hashHeader } from '../../../src/core/index.js';
import { openSqliteStore, WAL_CHECKPOINT_PAGES } from '../../../src/storage/sqliteStore.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { makeTempDir } from '../../support/nodeFixtures.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

const PAGE = 4096;
const size = (path: string) => statSync(path).size;

describe('WAL checkpoints (SQLite store)', () => {
  it('keep commits in the WAL up to WAL_CHECKPOINT_PAGES, readable from a crash image', () => {
    const path = join(temp.dir, 'chain.sqlite');
    const store = openSqliteStore(path);
    const first = Math.floor((WAL_CHECKPOINT_PAGES * PAGE) / (1 << 20) / 2);
    const blocks = new ChainBuilder().mineEmpty(3 * first + 4).blocks;
    // Blocks stored with 1 MiB bodies (saveBlock keeps the bytes given): 1 MiB a commit.
    const body = new Uint8Array(1 << 20).fill(7);
    const save = (i: number) => {
      const block = blocks[i]!;
      const hash = hashHeader(block.header);
      store.saveBlock(
        { hash, header: block.header, chainWork: 1n, seenOrder: i, invalid: false },
        block,
        body,
      );
      return hash;
    };
    save(0);
    const fileBefore = size(path);
    expect(first).toBeGreaterThan(4); // more than SQLite's default checkpoint (1,000 pages) holds
    const hashes = Array.from({ length: first }, (_, i) => save(i + 1));
    expect(size(path)).toBe(fileBefore);
    expect(size(`${path}-wal`)).toBeGreaterThan(first * (1 << 20));

    const copy = join(temp.dir, 'crash.sqlite');
    copyFileSync(path, copy);
    copyFileSync(`${path}-wal`, `${copy}-wal`);
    const crashed = openSqliteStore(copy);
    // NOTE: equalBytes, not toEqual: vitest compares 1 MiB arrays element by element, for minutes.
    for (const hash of hashes) expect(equalBytes(crashed.getBlockBytes(hash)!, body)).toBe(true);
    crashed.close();

    // Past WAL_CHECKPOINT_PAGES: copied into the file, and the WAL reused from its start.
    for (let i = first + 1; i < 3 * first + 4; i++) save(i);
    expect(size(path)).toBeGreaterThan(fileBefore + first * (1 << 20));
    expect(size(`${path}-wal`)).toBeLessThan((WAL_CHECKPOINT_PAGES + 600) * (PAGE + 24));
    store.close();
  });
});
