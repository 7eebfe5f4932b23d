/**
 * What the undo window (src/storage/undoWindow.ts) changes on disk and in a connect's CPU: two
 * SQLite stores side by side, one keeping every block's undo (the store before the window), one
 * keeping the last `window` blocks', fed the same full blocks (6,368 transfers from the same
 * senders to new keys, with the diff and undo Chain.connect hands the store) through
 * connectBlock alternately, the order swapped each block. Per group of blocks and per side: this
 * thread's CPU a transfer in connectBlock, and the file's growth a block (database and WAL).
 * Then the first side's file opened with the window: what pruning an older file at open costs.
 *   npx tsx bench/lib/undoWindowGrowth.ts [blocks=80] [window=20] [group=20]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account, Block } from '../../src/core/index.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import { cpuUs, indexBlock } from './indexBlocks.js';

const TRANSFERS = 6_368;
const blocks = Number(process.argv[2] ?? 80);
const window = Number(process.argv[3] ?? 20);
const group = Number(process.argv[4] ?? 20);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function side(name: string, undoBlocks: number) {
  const dir = mkdtempSync(join(tmpdir(), `undo-window-${name}-`));
  const path = join(dir, 'chain.sqlite');
  const store = openSqliteStore(path, { undoBlocks });
  const bytes = () =>
    statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  const cpu: number[] = [];
  const size: number[] = [];
  return {
    name,
    cpu,
    size,
    connect(c: Parameters<typeof store.connectBlock>[0]) {
      const t0 = cpuUs();
      store.connectBlock(c);
      cpu.push((cpuUs() - t0) / TRANSFERS);
      size.push(bytes());
    },
    /**
     * Closes the store; `reopenWith`: opens it again with that window first (an older file's
     * prune at open, undoWindow.ts pruneUndoAtOpen) and says what that open cost.
     */
    close(reopenWith?: number) {
      store.close();
      if (reopenWith !== undefined) {
        const [t0, w0] = [cpuUs(), performance.now()];
        openSqliteStore(path, { undoBlocks: reopenWith }).close();
        console.log(
          `  reopened with a window of ${reopenWith}: ${((cpuUs() - t0) / 1000).toFixed(0)} ms CPU, ${(performance.now() - w0).toFixed(0)} ms, file ${(statSync(path).size / 1e6).toFixed(0)} MB`,
        );
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sides = [side('every block', 1e9), side(`last ${window}`, window)];
const senders = Array.from({ length: TRANSFERS }, () => new Uint8Array(randomBytes(32)));
const state = new Map<string, Account>();
let prevHash = new Uint8Array(32);
for (let height = 0; height <= blocks; height++) {
  const made = indexBlock(height, height === 0 ? [] : senders);
  const block: Block = { ...made, header: { ...made.header, prevHash } };
  const hash = new Uint8Array(randomBytes(32));
  const diff = new Map<string, Account | null>();
  const undo = new Map<string, Account | null>();
  for (const tx of block.txs) {
    if (tx.type !== 'transfer') continue;
    const [from, to] = [hex(tx.from), hex(tx.to)];
    const before = state.get(from) ?? null;
    undo.set(from, before);
    diff.set(from, {
      balance: (before?.balance ?? 10n ** 12n) - 2n,
      nonce: (before?.nonce ?? 0n) + 1n,
      locks: [],
    });
    undo.set(to, null);
    diff.set(to, { balance: 1n, nonce: 0n, locks: [] });
  }
  for (const s of senders) state.set(hex(s), diff.get(hex(s)) as Account);
  const c = {
    hash,
    block,
    txIds: block.txs.map(() => new Uint8Array(randomBytes(32))),
    diff,
    undo,
  };
  for (const s of height % 2 === 0 ? sides : [...sides].reverse()) s.connect(c);
  prevHash = hash;
}

const mean = (v: number[]) => v.reduce((n, x) => n + x, 0) / v.length;
for (const s of sides) {
  const lines: string[] = [];
  // Block 0 (genesis, empty) left out.
  for (let from = 1; from < s.cpu.length; from += group) {
    const to = Math.min(from + group, s.cpu.length) - 1;
    const grew = (s.size[to]! - s.size[from - 1]!) / (to - from + 1);
    lines.push(
      `  blocks ${from}-${to}: ${mean(s.cpu.slice(from, to + 1)).toFixed(1)} µs a transfer, file ${(grew / 1e6).toFixed(2)} MB a block, ${(s.size[to]! / 1e6).toFixed(0)} MB in all`,
    );
  }
  console.log(`${s.name}:\n${lines.join('\n')}`);
  s.close(s === sides[0] ? window : undefined);
}
console.log(`load ${loadavg()[0]!.toFixed(1)}`);
