/**
 * When the SQLite store's writes commit, and how durably (src/storage/sqliteStore.ts): block
 * writes held in one SQL transaction during a sync (holdBlocks), a block's connect written while
 * its signatures are still being checked (tentative), commits that must survive a power cut run
 * under synchronous = FULL (durably), and a sync's commits reach the disk together at its end
 * (deferDurability), and how often the WAL is copied into the file (WAL_CHECKPOINT_PAGES).
 */
import type Database from 'better-sqlite3';

/**
 * The page cache while a sync's block writes are held (Commits.holdBlocks). PERF: 16 MiB, not 32:
 * a fresh node syncing 32 full blocks (bench/lib/syncMemory.ts, side by side, load 10) peaked at
 * 223 MB against 238, 2,382 against 2,219 transfers/s, main thread 23 against 22 µs a transfer;
 * bench/lib/syncAdd.ts, alternated 4 times each (load 2.3–3.2), main thread 13.0, 15.4, 13.9,
 * 16.9 µs against 11.9, 12.2, 15.7, 16.4; again at load 3.5: 226 against 243 MB, 6,614 against
 * 6,358 transfers/s, CPU a transfer 156 against 154 µs, the main thread's 21 against 19. NOTE: the
 * main thread pays 1–2 µs a transfer more (its spills), which the sync's rate does not show: the
 * signature workers set it. 8 MiB, measured then at 216 against 240 MB and a main thread of 21 →
 * 28 µs a transfer, was left; since (young generation capped, lighter workers, 1 block ahead),
 * 8 MiB against 16 alternated (bench/lib/syncMemoryAlternate.ts, 4 runs each, load 9–19): peak
 * RSS 189, 191, 193, 188 → 184, 183, 183, 174 MB; main thread 22, 24, 22, 26 → 25, 22, 30, 31 µs
 * a transfer (its spills again, ≈ +3.5 µs), CPU a transfer 169, 186, 170, 182 → 181, 160, 189,
 * 184 µs, 2,481, 2,541, 2,261, 1,298 → 2,604, 3,174, 1,797, 1,023 transfers/s: the noise of a
 * machine at load 9–19 is wider than the CPU's difference, not than the memory's.
 */
export const SYNC_CACHE_KIB = 8 * 1024;

/**
 * Pages the WAL file holds before a commit copies them into the database file (SQLite's
 * wal_autocheckpoint; its default is 1,000, 4 MB).
 * PERF: a full block's connect writes ≈ 30 MB to the WAL on a grown chain (its accounts at random
 * keys dirty most pages of their table, the newest index generation most of its pages), so every
 * commit copied its every page into the file at once; block after block the same pages. With a
 * checkpoint every 64 MB, a page written by the blocks in between is copied once. The store's
 * whole connect write, 1,000 pages against 16,384 (bench/lib/storeAlternate.ts, 3 rounds of 12
 * full blocks each, side by side, load 12–17), this thread's CPU a transfer: on stores grown as 60
 * full blocks mean 15.0 → 13.3 µs, median 12.6 → 11.0 (again: 14.3 → 12.1, 12.6 → 11.0); on
 * fresh stores 10.0 → 8.4, 9.4 → 7.9. NOTE: a round's last checkpoint may fall after it, not
 * counted: at most one of the ≈ 6 its 12 blocks make.
 * NOTE: the WAL file then grows to about 64 MB and a block's pages, and stays that size (SQLite
 * reuses it from its start after a checkpoint); a sync's held batch made it that big already.
 */
export const WAL_CHECKPOINT_PAGES = 16_384;

export interface Commits {
  /** A write of the chain's blocks; `connects`: one that must be durable (connect, disconnect). */
  blockWrite<T>(write: () => T, connects: boolean): T;
  /** Any other write (peers, journal, views, meta): commits the held blocks first. */
  otherWrite<T>(write: () => T): T | undefined;
  /** Runs `commit` under FULL; a deferrable one waits for the end of a deferDurability. */
  durably<T>(commit: () => T, deferrable?: boolean): T;
  deferDurability<T>(work: () => Promise<T>): Promise<T>;
  holdBlocks(hold: boolean): void;
  /** Commits the held block writes, if any (the store closing keeps them). */
  commitHeld(): void;
  /**
   * A move of the main chain in one SQL transaction of its own (StoreSwitch): the held block
   * writes committed first. Until endSwitch, a block write throws, and any other write waits in
   * a queue, written once the switch has ended (switchEnded says when).
   */
  beginSwitch(): void;
  /** Commits (durably, as a connect) or rolls back the switch, then writes what waited. */
  endSwitch(commit: boolean): void;
  /**
   * While a switch is under way, resolves once it has ended and what waited is written; rejects
   * if any of those writes failed (the journal then acknowledges nothing it cannot vouch for).
   */
  switchEnded(): Promise<void> | undefined;
  /** A connect written before its signatures are known: kept or undone (see tentative below). */
  tentative(write: () => void): Tentative;
  /**
   * Undoes the tentative write, if one is pending: every read of what a connect writes (the
   * state, the indexes, the tip) calls it first, so that nothing is seen of a block before the
   * block is known valid.
   */
  settle(): void;
}

/** A tentative block write (Commits.tentative). */
export interface Tentative {
  /** Keeps the write (committed as a connect is): false if it was undone meanwhile. */
  keep(): boolean;
  /** Undoes the write (a signature failed), unless that is done already. */
  drop(): void;
}

/** `syncToDisk`: one commit under FULL, which syncs the WAL file with every commit before it. */
export function createCommits(db: Database.Database, syncToDisk: () => void): Commits {
  /** Works under way in deferDurability: while any is, block commits are not synced one by one. */
  let deferring = 0;
  /** holdBlocks(true): block writes join one open SQL transaction, committed by commitHeld. */
  let holding = false;
  /** That transaction is open (BEGIN run, no COMMIT yet). */
  let held = false;
  const begin = db.prepare('BEGIN');
  const commitStatement = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT tentative');
  const rollbackTo = db.prepare('ROLLBACK TO tentative');
  const release = db.prepare('RELEASE tentative');
  /** The tentative write under way: `own`, in a transaction it began (not the held one). */
  let pending: { own: boolean; undone: boolean } | undefined;
  /** SQLite's page cache as the file opened with it (a negative size: KiB), while no sync holds. */
  const usualCache = Number(db.pragma('cache_size', { simple: true }));
  let syncing = false;
  /** A switch under way (beginSwitch): its end, and the other writes waiting for it. */
  let switching:
    | { ended: Promise<void>; end: (failure?: unknown) => void; waiting: (() => void)[] }
    | undefined;

  /**
   * A sync's held block writes get a page cache of SYNC_CACHE_KIB; the usual one comes back, its
   * pages beyond it freed, once the sync's deferDurability ends (or, without one, once they are
   * committed). NOTE: the usual one is better-sqlite3's build default, 16,000 KiB (-16000; the
   * store sets none), not SQLite's 2 MiB: 16 MiB during a sync was hardly more, and 8 MiB is less
   * (SYNC_CACHE_KIB's figures).
   * PERF: a held batch of full blocks dirties far more pages than 2 MiB hold (5 B-tree rows a
   * transfer, at random keys): SQLite spilled them to the WAL mid-transaction and read them back.
   * Main thread CPU a synced full-block transfer, 2 MiB against 32 MiB alternated (load 6–9,
   * bench/lib/syncAdd.ts): 24.5, 20.7, 22.4, 20.0, 24.1 → 18.3, 16.9, 16.2, 18.7, 19.1 µs
   * (SYNC_CACHE_KIB: 16 MiB since, nearly as fast).
   * NOTE: only while a sync holds blocks: a running node's memory is what the classroom's laptops
   * have to spare, and Chain.open's scan of the blocks would fill a bigger cache for good.
   */
  function syncCache(hold: boolean): void {
    if (hold === syncing || !db.open) return;
    syncing = hold;
    db.pragma(`cache_size = ${hold ? -SYNC_CACHE_KIB : usualCache}`);
    statementJournal(hold);
    if (!hold) db.pragma('shrink_memory');
  }

  /**
   * Where SQLite keeps a statement journal (and its other temporary data): in memory, or, while a
   * sync holds blocks, in a temporary file as SQLite's default. A statement that writes many rows
   * inside a transaction (the index rows', indexRows.ts) first copies each page it changes that
   * was in the file before it began to that journal, in case it must be undone alone: in a file,
   * one created, written and deleted a connect (/var/tmp/etilqs_…).
   * PERF: this thread's CPU a transfer in Chain.addBlock of full blocks, the previous build against
   * this one, fed the same blocks alternately (`npx tsx bench/lib/connectAlternate.ts OLD NEW 2 …`,
   * 2 rounds of 6 blocks, load 20–25): stores grown as 60 full blocks, median of the pairs' ratios
   * 0.914 (lower in 10 of 12; medians 51.7 → 44.2 µs); fresh stores 0.965 (10 of 12; 32.7 → 30.3).
   * NOTE: not while a sync holds: a held block's connect runs in a savepoint (tentative), whose
   * journal holds every page of the held transaction the block changes (≈ 30 MB a full block,
   * accountRows.ts), which the sync's peak memory would carry; nor during a switch of the main
   * chain (beginSwitch): restoring a copy of 500,000 accounts (one DELETE, one INSERT … SELECT)
   * peaked +41 MB with the journal in memory against +16 MB in a file, CPU 451–519 against
   * 378–394 ms (the reviewer's script on the store's schema, 2 rounds). SQLite refuses the change
   * inside a transaction: none is open when holding or a switch starts or ends.
   */
  function statementJournal(inFile: boolean): void {
    if (!db.inTransaction) db.pragma(`temp_store = ${inFile ? 'DEFAULT' : 'MEMORY'}`);
  }
  statementJournal(false);

  /** Undoes the pending tentative write, if any: its own transaction, or back to its savepoint. */
  function settle(): void {
    if (!pending) return;
    const { own } = pending;
    pending.undone = true;
    pending = undefined;
    if (own) rollback.run();
    else {
      rollbackTo.run();
      release.run();
    }
  }

  /**
   * Commits the block writes held so far, if any: under FULL when no deferDurability is under
   * way (the commit is the one that makes them durable), else under NORMAL as each would have.
   */
  function commitHeld(): void {
    settle();
    if (!held) return;
    held = false;
    commitStatement.run();
    // NOTE: SQLite will not change the safety level inside a transaction: committed under
    // NORMAL, then synced to disk by one FULL commit after it.
    if (deferring === 0) syncToDisk();
  }

  /**
   * A write of the chain's blocks (saving, connecting, disconnecting, marking, deleting): inside
   * the held transaction while holding, else committed on its own as before. Each stays atomic
   * inside the held one too: its db.transaction runs as a SAVEPOINT, rolled back alone on a throw.
   */
  function blockWrite<T>(write: () => T, connects: boolean): T {
    if (switching) throw new Error('a block write during a switch of the main chain');
    settle();
    if (!holding) return connects ? durably(write, true) : write();
    if (!held) {
      begin.run();
      held = true;
    }
    return write();
  }

  /** Any other write (peers, journal, views, meta) first commits the blocks held. */
  function otherWrite<T>(write: () => T): T | undefined {
    // NOTE: not inside the switch's transaction: a write acknowledged to someone (the journal's)
    // must not be lost to an abort, nor commit half a switch. Its writers return nothing.
    if (switching) {
      switching.waiting.push(() => void write());
      return undefined;
    }
    commitHeld();
    return write();
  }

  function beginSwitch(): void {
    if (switching) throw new Error('a switch of the main chain is under way already');
    commitHeld();
    // The switch's statements (a copy's restore: every account) journal to a file, not memory.
    statementJournal(true);
    begin.run();
    let end: (failure?: unknown) => void = () => {};
    const ended = new Promise<void>((resolve, reject) => {
      end = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    ended.catch(() => undefined); // nobody may be waiting: the failure is theirs to report
    switching = { ended, end, waiting: [] };
  }

  function endSwitch(commit: boolean): void {
    const ending = switching;
    if (!ending) return;
    switching = undefined;
    if (db.open && db.inTransaction) (commit ? commitStatement : rollback).run();
    // NOTE: as a connect's commit: under NORMAL, then synced by one FULL commit (syncToDisk).
    if (commit && deferring === 0) syncToDisk();
    statementJournal(syncing);
    // NOTE: a write that waited and fails does not leave here: the switch is committed, and the
    // chain (ChainMoves.moveTo) must move with the store. Its failure goes to switchEnded's waiters.
    let failure: unknown;
    for (const write of ending.waiting) {
      if (!db.open) break;
      try {
        write();
      } catch (error) {
        failure ??= error;
      }
    }
    ending.end(failure);
  }

  /**
   * Runs a commit that must survive a power cut under FULL; a block's (`deferrable`) waits for
   * the end of a deferDurability under way instead.
   */
  function durably<T>(commit: () => T, deferrable = false): T {
    if (deferrable && deferring > 0) return commit();
    db.pragma('synchronous = FULL');
    try {
      return commit();
    } finally {
      db.pragma('synchronous = NORMAL');
    }
  }

  /**
   * Writes a block's connect before its signatures are known (Chain.extendTip): in a transaction
   * of its own, or inside a SAVEPOINT in the held transaction while holding. `write` must be
   * atomic by these alone: it opens no transaction or savepoint of its own. PERF: the
   * write (≈ 240 ms for a full block of 6,368 transfers, bench/connect.ts) then runs while the
   * workers check the signatures instead of after them. Kept, it commits as a connect would;
   * dropped, nothing of it remains. SECURITY: whatever needs the database meanwhile undoes it
   * first (settle): another write (which would commit it), a read of the state or indexes (which
   * would see a block not yet valid), the store closing. keep() then says so, and the caller
   * writes the connect again the usual way, after the signatures.
   */
  function tentative(write: () => void): Tentative {
    if (switching) throw new Error('a block write during a switch of the main chain');
    settle();
    const own = !holding;
    // PERF: a write in a transaction of its own needs no savepoint (ROLLBACK undoes it whole),
    // and `write` opens none (the store hands its connect's statements, not a db.transaction):
    // under an open savepoint SQLite copies every page a statement changes to a statement journal
    // (a temporary file) first, in case of a ROLLBACK TO. A full block's account rows and undo,
    // the diff's order in a savepoint (before) against key order without (accountRows.ts), side by
    // side (`npx tsx bench/lib/accountGrowth.ts 100 25 savepoint`, load 12), blocks 76–100
    // (≈ 500,000–640,000 accounts): 28.1 → 20.7 µs a transfer, 79.6 → 49.3 MB written and
    // 79.2 → 50.3 MB read a block; blocks 1–25 12.1 → 12.5. The store's whole connect write
    // (bench/lib/storeAlternate.ts, 3 rounds, load 11) on stores grown as 60 full blocks: mean
    // 15.8 → 14.0 µs a transfer, median 14.1 → 12.6; on fresh stores 9.6 → 9.5, 9.4 → 9.4.
    // Held (a sync), the savepoint stays: it undoes this block and keeps the ones held before.
    if (own) begin.run();
    else {
      if (!held) {
        begin.run();
        held = true;
      }
      savepoint.run();
    }
    const state = { own, undone: false };
    pending = state;
    try {
      write();
    } catch (error) {
      settle();
      throw error;
    }
    return {
      keep() {
        if (state.undone) return false;
        pending = undefined;
        state.undone = true; // settled: a later drop() has nothing to undo
        if (!own) release.run();
        else {
          // NOTE: committed under NORMAL (SQLite keeps a transaction's safety level), then synced
          // to disk by one FULL commit, as commitHeld does, unless a deferDurability is under way.
          commitStatement.run();
          if (deferring === 0) syncToDisk();
        }
        return true;
      },
      drop() {
        if (pending === state) settle();
      },
    };
  }

  async function deferDurability<T>(work: () => Promise<T>): Promise<T> {
    // PERF: a FULL commit per block was 100 ms of a 20-block adoption (5 ms each, bench/adopt.ts).
    // Under NORMAL each commit is still atomic (SQLite: "the database is never corrupted");
    // only the blocks since the start may be lost to a power cut, and the peer still has them.
    deferring++;
    try {
      return await work();
    } finally {
      if (--deferring === 0) {
        // PERF: the sync to disk waits for the end of this turn of the event loop, so that the new
        // tip's announcement (gossip.ts, sent then) leaves first: a FULL commit is 2.8 ms here
        // (an fsync, bench-measured with better-sqlite3 under load 10) and more on a busy disk,
        // and every hop of a block paid it before relaying. Safe: the block is checked and
        // committed (atomic) already; a power cut now loses it here, never at the peers.
        await new Promise((resolve) => setImmediate(resolve));
        // NOTE: a store closed meanwhile (the node stopping) synced everything as it closed; a
        // work started meanwhile syncs at its own end.
        if (deferring === 0 && db.open && !switching) {
          if (held) commitHeld();
          else syncToDisk();
          syncCache(holding);
        }
      }
    }
  }

  return {
    blockWrite,
    otherWrite,
    durably,
    deferDurability,
    holdBlocks(hold) {
      holding = hold;
      if (!hold) commitHeld();
      // A sync commits its held blocks batch by batch, inside one deferDurability: the cache
      // stays until that ends.
      if (hold || deferring === 0) syncCache(hold);
    },
    commitHeld,
    beginSwitch,
    endSwitch,
    switchEnded: () => switching?.ended,
    tentative,
    settle,
  };
}
