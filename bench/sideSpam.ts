/**
 * Side-branch spam against the database, side by side in one run: the same spam into a node
 * that keeps every valid side block (the node before src/chain/sideBranches.ts) and into one
 * with the policy. The spam: full (1 MB) blocks with valid proof of work whose transfers carry
 * garbage signatures (nothing checks them until a block is connected, which a side block never
 * is), POSTed to /api/blocks: 30 from 30 sources (127.0.0.2…, one block each), at depths 1 to
 * 30 below the tip, then 30 more from one source at depth 1. Then the main chain moves on by
 * SIDE_PRUNE_DEPTH + 10 blocks. The database is measured after each step: the file (with its
 * WAL) and the bytes its live pages hold.
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NO_SIDE_LIMITS, SIDE_PRUNE_DEPTH, type SideLimits } from '../src/chain/sideBranches.js';
import { type Block, encodeBlock, fromHex, type Transfer, toHex } from '../src/core/index.js';
import { createInlineNonceSearch } from '../src/miner/inlineNonceSearch.js';
import { createNode } from '../src/node/createNode.js';
import { blockOn, easyParams } from '../test/support/chainBuilder.js';

const SPAM = 30;
const MAIN = 40;

/** A transfer that decodes but whose signature is garbage: only connecting would notice. */
function junkTransfer(i: number, salt: number): Transfer {
  const bytes = new Uint8Array(32);
  new DataView(bytes.buffer).setUint32(0, i);
  new DataView(bytes.buffer).setUint32(4, salt);
  return {
    type: 'transfer',
    chainId: easyParams.chainId,
    // A fixed valid key (the key rule is checked on arrival); `to` varies so every id differs.
    from: fromHex('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c'),
    to: bytes,
    amount: 1n,
    fee: 1n,
    nonce: BigInt(i),
    signature: new Uint8Array(64).fill(7),
  };
}

/** A full block on `parent` (as close to maxBlockBytes as transfers fill). */
function fullBlockOn(parent: Block, salt: number): Block {
  const count = Math.floor((easyParams.maxBlockBytes - 200) / 157);
  return blockOn(
    parent,
    Array.from({ length: count }, (_, i) => junkTransfer(i, salt)),
  );
}

function post(
  url: string,
  body: string,
  localAddress: string,
): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/blocks`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          const parsed = JSON.parse(text) as { status?: string; error?: { code: string } };
          resolve({ status: res.statusCode ?? 0, code: parsed.error?.code ?? parsed.status ?? '' });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function dbBytes(dir: string): { file: number; live: number } {
  const path = join(dir, easyParams.name, 'chain.sqlite');
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  const db = new Database(path, { readonly: true });
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { file: size(path) + size(`${path}-wal`), live: (pages - free) * pageSize };
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function run(name: string, limits: SideLimits | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'blockyard-spam-'));
  const node = await createNode({
    params: easyParams,
    dataDir: dir,
    port: 0,
    search: createInlineNonceSearch(),
    ...(limits ? { sideLimits: limits } : {}),
  });
  try {
    const main: Block[] = [node.chain.getBlock(node.chain.tip)];
    for (let i = 0; i < MAIN; i++) {
      const block = blockOn(main.at(-1)!);
      await node.chain.addBlock(block);
      main.push(block);
    }
    const start = dbBytes(dir);
    const outcomes = new Map<string, number>();
    const count = (code: string) => outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    // 30 sources, one block each, forking 1 to 30 blocks below the tip.
    for (let i = 0; i < SPAM; i++) {
      const parent = main[main.length - 2 - i]!;
      const answer = await post(
        node.url,
        JSON.stringify({ hex: toHex(encodeBlock(fullBlockOn(parent, i))) }),
        `127.0.0.${2 + i}`,
      );
      count(answer.code);
    }
    // One source, 30 blocks at depth 1.
    for (let i = 0; i < SPAM; i++) {
      const parent = main[main.length - 2]!;
      const answer = await post(
        node.url,
        JSON.stringify({ hex: toHex(encodeBlock(fullBlockOn(parent, 100 + i))) }),
        '127.0.0.100',
      );
      count(answer.code);
    }
    const spammed = dbBytes(dir);
    const sideAfterSpam = node.chain.sideCount;
    for (let i = 0; i < SIDE_PRUNE_DEPTH + 10; i++) {
      const block = blockOn(main.at(-1)!);
      await node.chain.addBlock(block);
      main.push(block);
    }
    const moved = dbBytes(dir);
    return {
      name,
      start,
      spammed,
      moved,
      outcomes,
      sideAfterSpam,
      sideAfterMove: node.chain.sideCount,
    };
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const before = await run('keep every side block', NO_SIDE_LIMITS);
const after = await run('side-branch policy', undefined);
const out = (line: string) => process.stdout.write(`${line}\n`);
out(
  `spam: ${SPAM} full side blocks from ${SPAM} sources at depths 1-${SPAM}, then ${SPAM} from one source at depth 1`,
);
out('');
out(
  `${''.padEnd(24)}${'DB grew (file)'.padEnd(18)}${'live after spam'.padEnd(18)}${'side kept'.padEnd(11)}${`after +${SIDE_PRUNE_DEPTH + 10} blocks: live, side`}`,
);
for (const r of [before, after]) {
  out(
    `${r.name.padEnd(24)}${`+${mb(r.spammed.file - r.start.file)}`.padEnd(18)}${`+${mb(r.spammed.live - r.start.live)}`.padEnd(18)}${String(r.sideAfterSpam).padEnd(11)}+${mb(r.moved.live - r.start.live)}, ${r.sideAfterMove}`,
  );
}
out('');
for (const r of [before, after]) {
  out(`${r.name}: answers ${[...r.outcomes].map(([code, n]) => `${code} ×${n}`).join(', ')}`);
}
out(`
The database: chain.sqlite and its WAL (the file), and (page_count - freelist_count) × page_size
(the live bytes; SQLite reuses freed pages, so the file keeps its high-water mark). "After":
the main chain then grows by ${SIDE_PRUNE_DEPTH + 10} empty blocks, past the prune depth; the live bytes compare
with the start (the main chain's own growth is a few hundred kB).`);
if (after.spammed.live - after.start.live > 10 * 1024 * 1024) {
  process.stderr.write('the policy let the spam grow the database past 10 MB\n');
  process.exitCode = 1;
}
