/**
 * Which folder of src/ may import which (STYLE.md: dependencies point inward). The table is the
 * architecture: read it before adding an import, and change it only on purpose. core imports
 * nothing of ours; the shells import core; node, the one composition root, wires everything;
 * cli talks to a node through the API client (and starts one: `blockyard node`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  moduleSpecifiers,
  repoPath,
  repoRoot,
  sourceFiles,
  stripComments,
} from '../support/imports.js';

const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  crypto: ['core'],
  storage: ['core'],
  wallet: ['core', 'api'], // api: the client only (wallet/browserSafe.test.ts)
  chain: ['core', 'crypto', 'storage'],
  mempool: ['core', 'crypto', 'chain', 'storage'],
  miner: ['core', 'chain', 'mempool'],
  p2p: ['core', 'chain', 'mempool', 'storage'],
  api: ['core', 'chain', 'mempool', 'miner', 'p2p', 'storage'],
  node: ['core', 'crypto', 'storage', 'chain', 'mempool', 'miner', 'p2p', 'api', 'wallet'],
  lab: ['core', 'wallet', 'api'], // the lab controller: node processes driven through the API
  cli: ['core', 'crypto', 'wallet', 'miner', 'api', 'node', 'lab'],
};

const srcDir = join(repoRoot, 'src');
const folderOf = (file: string) => relative(srcDir, file).split(sep)[0]!;

/** A reach into the Chain's internals (its block index, store, orphan pool), not its methods. */
const reachesIntoChain = (text: string) =>
  /\bchain\s*\.\s*(index|store|orphans)\b/.test(stripComments(text));

/**
 * An edge's notion in code (not in comments or strings): an HTTP status, a peer's penalty or ban,
 * an exit code. The core names failures; what the API, the peers and the CLI do about them is theirs.
 */
const edgeNotion = (text: string) =>
  /\b(status|penalt\w*|ban\w*|exit\w*|http\w*)\b/i.test(
    stripComments(text).replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''"),
  );

describe('src/ layers', () => {
  it('lists every folder of src/', () => {
    const folders = readdirSync(srcDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('imports across folders only as the table allows', () => {
    const problems = sourceFiles(srcDir).flatMap((file) => {
      const from = folderOf(file);
      return moduleSpecifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => folderOf(resolve(dirname(file), specifier)))
        .filter((to) => to !== from && !MAY_IMPORT[from]?.includes(to))
        .map((to) => `${repoPath(file)} imports src/${to}/`);
    });
    expect([...new Set(problems)]).toEqual([]);
  });

  it('reaches the chain only through its methods outside src/chain', () => {
    expect(reachesIntoChain('const e = this.chain.index.main[3];')).toBe(true);
    expect(reachesIntoChain('ctx.chain.store.getTxLocation(id)')).toBe(true);
    expect(reachesIntoChain('// not chain.orphans\nconst n = chain.orphanCount;')).toBe(false);
    const problems = sourceFiles(srcDir)
      .filter((file) => folderOf(file) !== 'chain')
      .filter((file) => reachesIntoChain(readFileSync(file, 'utf8')))
      .map(repoPath);
    expect(problems).toEqual([]);
  });

  it('keeps HTTP statuses, peer penalties and exit codes out of src/core', () => {
    expect(edgeNotion('export const table = { X: { status: 400, meaning: "…" } };')).toBe(true);
    expect(edgeNotion('const points = penaltyOf(code);')).toBe(true);
    expect(
      edgeNotion("// the HTTP status lives in src/api\nconst m = 'banned, see http://x';"),
    ).toBe(false);
    const problems = sourceFiles(join(srcDir, 'core'))
      .filter((file) => edgeNotion(readFileSync(file, 'utf8')))
      .map(repoPath);
    expect(problems).toEqual([]);
  });
});
