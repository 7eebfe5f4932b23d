/**
 * The SQLite store's peer book rows (sqliteSchema.ts's `peers` table): read all at start,
 * written through one by one (src/p2p/peerBook.ts keeps the book in memory).
 */
import type Database from 'better-sqlite3';
import type { PeerRecord } from './types.js';

export function peerRows(db: Database.Database) {
  const all = db.prepare<
    [],
    {
      url: string;
      added_ms: bigint;
      last_seen_ms: bigint;
      score: number | bigint;
      banned_until_ms: bigint;
      named: bigint;
      score_ms: bigint;
      ban_reason: string;
    }
  >(
    'SELECT url, added_ms, last_seen_ms, score, banned_until_ms, named, score_ms, ban_reason FROM peers',
  );
  const put = db.prepare(
    'INSERT OR REPLACE INTO peers (url, added_ms, last_seen_ms, score, banned_until_ms, named, score_ms, ban_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM peers WHERE url = ?');
  return {
    load: (): PeerRecord[] =>
      all.all().map((row) => ({
        url: row.url,
        addedMs: Number(row.added_ms),
        lastSeenMs: Number(row.last_seen_ms),
        score: Number(row.score),
        bannedUntilMs: Number(row.banned_until_ms),
        named: row.named === 1n,
        scoreMs: Number(row.score_ms),
        banReason: row.ban_reason,
      })),
    save(p: PeerRecord): void {
      put.run(
        p.url,
        p.addedMs,
        p.lastSeenMs,
        // A decayed score is fractional; whole points are enough to keep.
        Math.round(p.score),
        p.bannedUntilMs,
        p.named ? 1 : 0,
        p.scoreMs,
        p.banReason,
      );
    },
    delete: (url: string): void => void remove.run(url),
  };
}
