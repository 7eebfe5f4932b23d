/**
 * What a full block's account rows and undo data cost as the accounts table grows: blocks of
 * 6,368 transfers from the same senders to new keys (the diff and undo Chain.connect hands the
 * store, with the miner's coinbase lock), written one SQL transaction a block into files made by
 * createSchema, as the node opens them (WAL, synchronous NORMAL, the default cache and
 * checkpoints). Two files side by side, fed the same blocks alternately (the order swapped each
 * block): `old`, one statement a row in the diff's order (the store before accountRows.ts); `new`,
 * the store's accountWriter; both with encodeDiff's undo. Per group of blocks and
 * per side: this thread's CPU a transfer (the rows, the undo, the commit with its checkpoint) and
 * the bytes the process wrote and read a block (/proc/self/io, while that side wrote).
 *   npx tsx bench/lib/accountGrowth.ts [blocks=150] [group=25] [savepoint]
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Account, StateDiff } from '../../src/core/index.js';
import { encodeDiff, encodeLocks } from '../../src/storage/accountCodec.js';
import { accountWriter } from '../../src/storage/accountRows.js';
import { cpuUs, openIndexDb } from './indexBlocks.js';

const TRANSFERS = 6_368;
const blocks = Number(process.argv[2] ?? 150);
const group = Number(process.argv[3] ?? 25);
/**
 * `savepoint`: the old side writes inside a SAVEPOINT, as the store's tentative connect did
 * before sqliteCommits.ts's tentative stopped opening one in a transaction of its own.
 */
const savepoint = process.argv[4] === 'savepoint';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function io(): { read: number; written: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? 0);
  return { read: field('rchar'), written: field('wchar') };
}

interface Figures {
  rows: number;
  undo: number;
  commit: number;
  written: number;
  read: number;
  undoBytes: number;
}

function side(name: 'old' | 'new') {
  const { db, dir } = openIndexDb(`account-growth-${name}`);
  const put = db.prepare(
    'INSERT OR REPLACE INTO accounts (key, balance, nonce, locks) VALUES (?, ?, ?, ?)',
  );
  const putUndo = db.prepare('INSERT OR REPLACE INTO undo (hash, diff) VALUES (?, ?)');
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const write = accountWriter(db);
  const measured: Figures[] = [];
  return {
    name,
    measured,
    block(diff: StateDiff, undo: StateDiff): void {
      const io0 = io();
      const t0 = cpuUs();
      begin.run();
      if (savepoint && name === 'old') db.exec('SAVEPOINT s');
      if (name === 'old')
        for (const [key, a] of diff)
          put.run(Buffer.from(key, 'hex'), a!.balance, a!.nonce, encodeLocks(a!.locks));
      else write(diff, () => {});
      const t1 = cpuUs();
      const stored = encodeDiff(undo);
      putUndo.run(randomBytes(32), stored);
      if (savepoint && name === 'old') db.exec('RELEASE s');
      const t2 = cpuUs();
      commit.run();
      const t3 = cpuUs();
      const io1 = io();
      measured.push({
        rows: (t1 - t0) / TRANSFERS,
        undo: (t2 - t1) / TRANSFERS,
        commit: (t3 - t2) / TRANSFERS,
        written: io1.written - io0.written,
        read: io1.read - io0.read,
        undoBytes: stored.length,
      });
    },
    close(): number {
      const pages = Number(db.pragma('page_count', { simple: true }));
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return pages;
    },
  };
}

const sides = [side('old'), side('new')];
const senders = Array.from({ length: TRANSFERS }, () => hex(randomBytes(32)));
const state = new Map<string, Account>();
const miner = hex(randomBytes(32));
for (let height = 1; height <= blocks; height++) {
  const diff = new Map<string, Account | null>();
  const undo = new Map<string, Account | null>();
  for (const s of senders) {
    const before = state.get(s) ?? null;
    undo.set(s, before);
    diff.set(s, {
      balance: (before?.balance ?? 10n ** 12n) - 2n,
      nonce: (before?.nonce ?? 0n) + 1n,
      locks: [],
    });
    const r = hex(randomBytes(32));
    undo.set(r, null);
    diff.set(r, { balance: 1n, nonce: 0n, locks: [] });
  }
  const mined = state.get(miner) ?? null;
  undo.set(miner, mined);
  const locks = [...(mined?.locks ?? []), { maturesAt: height + 100, amount: 5_000_000_000n }];
  diff.set(miner, { balance: BigInt(height) * 5_000_000_000n, nonce: 0n, locks });
  for (const key of [...senders, miner]) state.set(key, diff.get(key)!);
  for (const s of height % 2 === 0 ? sides : [...sides].reverse()) s.block(diff, undo);
}

const mean = (v: number[]) => v.reduce((n, x) => n + x, 0) / v.length;
for (const s of sides) {
  const lines = [];
  for (let from = 0; from < s.measured.length; from += group) {
    const p = s.measured.slice(from, from + group);
    const m = (f: (x: Figures) => number) => mean(p.map(f));
    lines.push(
      `  ${from + 1}-${from + p.length}: ${m((x) => x.rows + x.undo + x.commit).toFixed(1)} µs a transfer ` +
        `(rows ${m((x) => x.rows).toFixed(1)}, undo ${m((x) => x.undo).toFixed(1)}, commit ${m((x) => x.commit).toFixed(1)}), ` +
        `wrote ${(m((x) => x.written) / 1e6).toFixed(1)} MB, read ${(m((x) => x.read) / 1e6).toFixed(1)} MB a block`,
    );
  }
  const undoMb = (s.measured[0]!.undoBytes / 1e6).toFixed(2);
  const pages = s.close();
  console.log(
    `${s.name}: ${state.size - 1 + blocks * TRANSFERS} accounts, file ${pages} pages, undo ${undoMb} MB a block\n${lines.join('\n')}`,
  );
}
console.log(`load ${loadavg()[0]!.toFixed(1)}`);
