/**
 * src/wallet/** and src/api/client.ts are bundled into the web app, so everything they import,
 * followed file by file to the end, must run in a browser: no Node built-in (node:* or a bare
 * `crypto`, `fs`, …), no package but @noble/* and @scure/*, and no file of the node's side
 * (src/api/server.ts and its routes, src/node, src/storage, src/crypto, …). Only src/core (pure,
 * see architecture.test.ts), src/wallet and the client itself may be reached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isBuiltin,
  moduleSpecifiers,
  repoPath as name,
  repoRoot as root,
  sourceFiles,
} from '../../support/imports.js';

// The client derives its calls from the API's contract: plain TypeBox schemas (peers' messages
// too), and the status table its error answers are grouped by.
const ALLOWED_FILES = [
  /^src\/core\//,
  /^src\/wallet\//,
  /^src\/api\/(client|contract|[a-z]+Contract|httpStatus|inputs|route|schemas|[a-z]+Schemas)\.ts$/,
  /^src\/p2p\/messages\.ts$/,
];
const ALLOWED_PACKAGES = /^(@(noble|scure)\/|@sinclair\/typebox$)/;

/** The .ts file a relative specifier such as './keystore.js' names. */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find((path) => existsSync(path) && path.endsWith('.ts'));
  if (!found) throw new Error(`${name(from)}: cannot resolve "${specifier}"`);
  return found;
}

interface Problem {
  readonly file: string;
  readonly imports: string;
}

/** Walks every relative import from the entry files; lists each import the browser cannot take. */
function walk(entries: readonly string[]): { reached: string[]; problems: Problem[] } {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!ALLOWED_FILES.some((allowed) => allowed.test(name(file)))) {
      problems.push({ file: name(file), imports: '(reached, but not browser code)' });
      continue;
    }
    for (const specifier of moduleSpecifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) queue.push(resolveRelative(file, specifier));
      else if (isBuiltin(specifier) || !ALLOWED_PACKAGES.test(specifier)) {
        problems.push({ file: name(file), imports: specifier });
      }
    }
  }
  return { reached: [...seen].map(name).sort(), problems };
}

describe('the browser bundle (src/wallet, src/api/client.ts)', () => {
  const entries = [
    ...sourceFiles(join(root, 'src', 'wallet')),
    join(root, 'src', 'api', 'client.ts'),
  ];

  it('has its entry files', () => {
    expect(entries.map(name)).toEqual(
      expect.arrayContaining([
        'src/wallet/index.ts',
        'src/wallet/keystore.ts',
        'src/api/client.ts',
      ]),
    );
  });

  it('imports, to the last file, only src/core, src/wallet, the client and its contract, @noble/*, @scure/* and TypeBox', () => {
    const { reached, problems } = walk(entries);
    expect(problems).toEqual([]);
    expect(reached).toContain('src/core/address.ts');
  });

  it('is checked by a walk that does catch what it forbids', () => {
    const serverSide = [
      join(root, 'src', 'api', 'server.ts'),
      join(root, 'src', 'node', 'createNode.ts'),
    ];
    const { problems } = walk(serverSide);
    expect(problems.map((p) => p.file)).toEqual(
      expect.arrayContaining(['src/api/server.ts', 'src/node/createNode.ts']),
    );
    expect(isBuiltin('node:crypto')).toBe(true);
    expect(isBuiltin('crypto')).toBe(true);
    expect(isBuiltin('fs/promises')).toBe(true);
    expect(isBuiltin('@noble/hashes/sha2.js')).toBe(false);
    expect(moduleSpecifiers("import type { X } from '../api/server.js';")).toEqual([
      '../api/server.js',
    ]);
  });
});
