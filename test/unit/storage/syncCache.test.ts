/**
 * SQLite's page cache while a sync holds block writes (sqliteCommits.ts syncCache): the sync's
 * size for the sync, kept through its batch commits, and back to the usual size, its extra pages freed,
 * once the sync's deferDurability ends, or once held writes outside one are committed; and where
 * statement journals are kept, which follows the same turns and a switch of the main chain's.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommits, SYNC_CACHE_KIB } from '../../../src/storage/sqliteCommits.js';
import { makeTempDir } from '../../support/nodeFixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function open() {
  const temp = makeTempDir();
  const db = new Database(join(temp.dir, 'cache.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID');
  cleanups.push(() => {
    db.close();
    temp.remove();
  });
  const usual = Number(db.pragma('cache_size', { simple: true }));
  const commits = createCommits(db, () => {});
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (randomblob(32), randomblob(100))');
  const write = () => commits.blockWrite(() => insert.run(), true);
  const cache = () => Number(db.pragma('cache_size', { simple: true }));
  /** SQLite's temp_store: 2 memory, 0 its default (a file). */
  const journal = () => Number(db.pragma('temp_store', { simple: true }));
  return { db, commits, usual, write, cache, journal };
}

describe("a sync's page cache", () => {
  it("is the sync's own while a sync holds blocks, kept through its commits, and given back at its end", async () => {
    const { commits, usual, write, cache } = open();
    // Not the usual size (better-sqlite3's -16000), or this would not tell the two apart. Its
    // size is a measured choice (sqliteCommits.ts), not something to pin here.
    expect(-SYNC_CACHE_KIB).not.toBe(usual);
    await commits.deferDurability(async () => {
      commits.holdBlocks(true);
      write();
      expect(cache()).toBe(-SYNC_CACHE_KIB);
      // A batch committed (fetchBodies.ts), and a block of the node's own meanwhile.
      commits.holdBlocks(false);
      expect(cache()).toBe(-SYNC_CACHE_KIB);
      commits.holdBlocks(true);
      write();
      commits.commitHeld();
      expect(cache()).toBe(-SYNC_CACHE_KIB);
      commits.holdBlocks(false);
    });
    expect(cache()).toBe(usual);
  });

  it('is given back once held writes outside a deferDurability are committed', () => {
    const { commits, usual, write, cache } = open();
    commits.holdBlocks(true);
    write();
    expect(cache()).toBe(-SYNC_CACHE_KIB);
    commits.holdBlocks(false);
    expect(cache()).toBe(usual);
  });

  it("keeps statement journals in memory, but in a file while a sync holds blocks (a held block's savepoint journals every page it changes)", async () => {
    const { commits, write, journal } = open();
    expect(journal()).toBe(2);
    await commits.deferDurability(async () => {
      commits.holdBlocks(true);
      write();
      expect(journal()).toBe(0);
      commits.holdBlocks(false);
      commits.holdBlocks(true);
      write();
      commits.holdBlocks(false);
    });
    expect(journal()).toBe(2);
    commits.holdBlocks(true);
    write();
    expect(journal()).toBe(0);
    commits.holdBlocks(false);
    expect(journal()).toBe(2);
  });

  it('keeps statement journals in a file during a switch of the main chain (a copy restored journals every account), in memory again after it', () => {
    const { commits, journal } = open();
    for (const commit of [true, false]) {
      commits.beginSwitch();
      expect(journal()).toBe(0);
      commits.endSwitch(commit);
      expect(journal()).toBe(2);
    }
  });

  it('stays as it is for writes no sync holds', async () => {
    const { commits, usual, write, cache } = open();
    await commits.deferDurability(async () => {
      write();
      expect(cache()).toBe(usual);
    });
    write();
    expect(cache()).toBe(usual);
  });
});
