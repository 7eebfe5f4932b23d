/**
 * What lookups in the txs and history tables cost as their generations (indexGens.ts) add up:
 * stores grown as `blocks` full blocks would have grown them (grownStore.ts), then this thread's
 * CPU a getTxLocation of ids present (sampled from every generation) and absent, and a
 * getHistory page (20) of a key absent: every generation probed.
 *   npx tsx bench/lib/indexLookups.ts [blocks…=20,100,400]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toHex } from '../../src/core/index.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import { growStore } from './grownStore.js';

const chains = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [20, 100, 400];
const cpuUs = () => {
  const used = process.cpuUsage();
  return used.user + used.system;
};
/** This thread's CPU a call of `f`, over `times` calls. */
function each(times: number, f: (i: number) => unknown): number {
  const before = cpuUs();
  for (let i = 0; i < times; i++) f(i);
  return (cpuUs() - before) / times;
}

for (const blocks of chains) {
  const dir = mkdtempSync(join(tmpdir(), 'index-lookups-'));
  const path = join(dir, 'chain.sqlite');
  growStore(path, blocks, 6_368);
  const db = new Database(path);
  // The grown rows sit at height 0: main_chain needs it for the lookups' join.
  db.prepare('INSERT OR IGNORE INTO main_chain (height, hash) VALUES (0, ?)').run(randomBytes(32));
  const gens = Number(db.prepare('SELECT count(*) FROM index_gens').pluck().get());
  db.close();
  const store = openSqliteStore(path);
  const sample: Uint8Array[] = [];
  const probe = new Database(path, { readonly: true });
  const pick = probe.prepare('SELECT id FROM txs WHERE gen = ? LIMIT 1 OFFSET ?').pluck();
  const sizes = probe.prepare('SELECT txs FROM index_gens ORDER BY gen').pluck().all() as number[];
  for (let i = 0; i < 2_000; i++) {
    const gen = i % gens;
    sample.push(pick.get(gen, (i * 7919) % sizes[gen]!) as Buffer);
  }
  probe.close();
  const found = sample.filter((id) => store.getTxLocation(id)).length;
  const hit = each(sample.length, (i) => store.getTxLocation(sample[i]!));
  const miss = each(2_000, () => store.getTxLocation(randomBytes(32)));
  const history = each(2_000, () => store.getHistory(toHex(randomBytes(32)), 20));
  console.log(
    `${blocks} full blocks, ${gens} generations: getTxLocation ${hit.toFixed(1)} µs present (${found}/${sample.length} found), ${miss.toFixed(1)} µs absent; getHistory of an absent key ${history.toFixed(1)} µs; load ${loadavg()[0]!.toFixed(1)}`,
  );
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
