/**
 * The SQLite store's switch of the main chain (StoreSwitch, src/storage/sqliteSwitch.ts): one
 * SQL transaction left open between its steps, during which every reader of the store answers as
 * before it, the switch's own `state` as it has written, and the other writes (peers, journal)
 * wait for its end; committed, everything answers as a store that connected the branch alone;
 * aborted, as before, with what waited written all the same.
 */
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyBlock,
  type Block,
  COIN,
  hashHeader,
  hashTx,
  toHex,
} from '../../../src/core/index.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, ChainBuilder, carol, easyParams, miner } from '../../support/chainBuilder.js';
import { accountsOf, connectInto, unwrap } from '../../support/nodeFixtures.js';
import { referenceAnswers, storeAnswers } from '../../support/storeAnswers.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();

/** Main: G A1 … A4, each paying; the branch from A1: B2 … B5, paying carol. */
function branches(): { main: Block[]; branch: Block[] } {
  const a = new ChainBuilder();
  a.mine();
  for (let i = 2; i <= 4; i++) a.mine({ transfers: [a.transfer(miner, alice, BigInt(i) * COIN)] });
  const b = a.forkAt(2);
  for (let i = 0; i < 4; i++)
    b.mine({ minerKey: carol.key, transfers: [b.transfer(miner, carol, BigInt(i + 1) * COIN)] });
  return { main: a.blocks, branch: b.blocks };
}

/** Saves the branch's new blocks, begins a switch onto it and writes all of it. */
function switchOnto(store: ChainStore, main: Block[], branch: Block[]) {
  for (const block of branch.slice(2)) {
    const hash = hashHeader(block.header);
    const record = { hash, header: block.header, chainWork: 0n, seenOrder: 99, invalid: false };
    store.saveBlock(record, block);
  }
  const sw = store.beginSwitch();
  for (let h = main.length - 1; h > 1; h--) sw.disconnectTip();
  for (const block of branch.slice(2)) {
    const { diff, undo } = unwrap(applyBlock(sw.state, block, easyParams));
    sw.connect({ hash: hashHeader(block.header), block, txIds: block.txs.map(hashTx), diff, undo });
  }
  return sw;
}

/** This process's open file descriptors on the file at `path` (Linux's /proc/self/fd). */
function openFds(path: string): number {
  const file = realpathSync(path);
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // the directory's own descriptor, closed once read
    }
  }).length;
}

const peer = {
  url: 'http://127.0.0.1:9/',
  named: true,
  addedMs: 1,
  lastSeenMs: 1,
  score: 0,
  scoreMs: 1,
  bannedUntilMs: 0,
  banReason: '',
};

describe.each([
  ['commit', true],
  ['abort', false],
] as const)('a switch of the SQLite store, then %s', (_name, commit) => {
  it('readers answer as before it until it ends; other writes wait for its end', async () => {
    const { main, branch } = branches();
    const asked = [...main, ...branch.slice(2)];
    const store = openSqliteStore(temp.path);
    connectInto(store, main, easyParams);
    const before = storeAnswers(store, asked);
    // NOTE: its WAL file's: SQLite keeps a closed connection's descriptor of the database file
    // while another connection holds locks on it (and opens the next one on it).
    const wal = `${temp.path}-wal`;
    const fds = openFds(wal);
    const sw = switchOnto(store, main, branch);
    expect(sw.isolated).toBe(true);
    // The readers' connection, open for the switch only.
    expect(openFds(wal)).toBe(fds + 1);

    expect(storeAnswers(store, asked)).toEqual(before);
    expect(toHex(store.getMainHash(2)!)).toBe(toHex(hashHeader(main[2]!.header)));
    // The switch's own reads see what it wrote: carol is paid on the branch only.
    expect(accountsOf(sw.state, [carol.key]).size).toBe(1);
    expect(accountsOf(store, [carol.key]).size).toBe(0);
    store.savePeer(peer);
    store.journalTxs([{ id: new Uint8Array(32), bytes: new Uint8Array([1]), addedMs: 1 }], []);
    expect(store.loadPeers()).toEqual([]);
    const ended = store.switchEnded?.();
    expect(ended).toBeDefined();

    if (commit) sw.commit();
    else sw.abort();
    await ended;
    expect(store.switchEnded?.()).toBeUndefined();
    expect(openFds(wal)).toBe(fds);
    expect(store.loadPeers()).toEqual([peer]);
    expect(store.loadJournal()).toHaveLength(1);
    const expected = commit ? referenceAnswers(temp.dir, 'b.sqlite', branch, asked) : before;
    expect(storeAnswers(store, asked)).toEqual(expected);
    store.close();
    // Reopened, the same: the commit was durable, the abort left nothing.
    const reopened = openSqliteStore(temp.path);
    expect(storeAnswers(reopened, asked)).toEqual(expected);
    reopened.close();
  });
});

describe('a write that waited for a switch and fails', () => {
  it('leaves the commit standing, the other writes written, and switchEnded rejecting', async () => {
    const { main, branch } = branches();
    const asked = [...main, ...branch.slice(2)];
    const store = openSqliteStore(temp.path);
    connectInto(store, main, easyParams);
    const sw = switchOnto(store, main, branch);
    // A value SQLite cannot bind: the write throws once it runs, after the switch's COMMIT.
    store.setMeta('broken', {} as unknown as string);
    store.savePeer(peer);
    const ended = store.switchEnded?.();

    expect(() => sw.commit()).not.toThrow();
    await expect(ended).rejects.toThrow(/parameter/);
    expect(store.loadPeers()).toEqual([peer]);
    expect(storeAnswers(store, asked)).toEqual(
      referenceAnswers(temp.dir, 'b.sqlite', branch, asked),
    );
    store.close();
  });
});
