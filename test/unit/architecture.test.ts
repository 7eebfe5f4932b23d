/**
 * src/core is pure (STYLE.md): no I/O, no clock, no randomness; time, keys and the signature
 * verifier come in as arguments. This test reads the source text of every file under src/core
 * and fails on an import of a Node built-in or I/O module, or a call that reads the clock or
 * draws randomness. biome's noRestrictedImports says the same for imports; this also covers
 * calls, dynamic import() and require().
 */
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  moduleSpecifiers,
  repoPath,
  repoRoot,
  sourceFiles,
  stripComments,
} from '../support/imports.js';

const coreDir = join(repoRoot, 'src', 'core');

const FORBIDDEN_MODULES = [
  'fs',
  'net',
  'http',
  'https',
  'child_process',
  'worker_threads',
  'crypto',
] as const;

const FORBIDDEN_CALLS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Date.now(', pattern: /\bDate\s*\.\s*now\s*\(/ },
  { name: 'Math.random(', pattern: /\bMath\s*\.\s*random\s*\(/ },
  { name: 'new Date() (the clock)', pattern: /\bnew\s+Date\s*\(\s*\)/ },
  { name: 'performance.now(', pattern: /\bperformance\s*\.\s*now\s*\(/ },
  { name: 'getRandomValues(', pattern: /\bgetRandomValues\s*\(/ },
  { name: 'randomBytes(', pattern: /\brandomBytes\s*\(/ },
];

function isForbiddenModule(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return FORBIDDEN_MODULES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

function forbiddenCalls(text: string): string[] {
  const code = stripComments(text);
  return FORBIDDEN_CALLS.filter(({ pattern }) => pattern.test(code)).map(({ name }) => name);
}

describe('the scanner', () => {
  it('finds imports in every form, and ignores comments', () => {
    const sample = [
      "import { readFileSync } from 'node:fs';",
      'import type { Socket } from "net";',
      "export * from 'fs/promises';",
      "import 'http';",
      "const w = await import('worker_threads');",
      "const c = require('crypto');",
      "// import { x } from 'child_process';",
      "/* import { y } from 'https'; */",
      "import { ok } from './result.js';",
      "export const KEYS = ['type', 'from', 'to'];",
      "const tx = { from: r.raw(32, 'from'), to: r.raw(32, 'to') };",
    ].join('\n');
    const specifiers = moduleSpecifiers(sample);
    expect(specifiers).toHaveLength(7);
    expect(specifiers.filter(isForbiddenModule)).toEqual([
      'node:fs',
      'net',
      'fs/promises',
      'http',
      'worker_threads',
      'crypto',
    ]);
    expect(isForbiddenModule('@noble/hashes/sha2.js')).toBe(false);
    expect(isForbiddenModule('cryptography-lib')).toBe(false);
  });

  it('finds clock and randomness calls outside comments', () => {
    expect(forbiddenCalls('const t = Date.now();')).toEqual(['Date.now(']);
    expect(forbiddenCalls('const r = Math . random ();')).toEqual(['Math.random(']);
    expect(forbiddenCalls('const d = new Date();')).toEqual(['new Date() (the clock)']);
    expect(forbiddenCalls('// time is an argument: no Date.now() here\nconst t = nowMs;')).toEqual(
      [],
    );
    expect(forbiddenCalls('/** never Math.random() */ const x = 1;')).toEqual([]);
    expect(forbiddenCalls("const url = 'https://example.org'; const t = Date.now();")).toEqual([
      'Date.now(',
    ]);
  });
});

describe('src/core is pure', () => {
  const files = sourceFiles(coreDir);
  const name = repoPath;

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.map(name)).toContain('src/core/index.ts');
  });

  it.each(files.map((file) => [name(file), file]))(
    '%s imports no Node built-in or I/O module',
    (_, file) => {
      const bad = moduleSpecifiers(readFileSync(file, 'utf8')).filter(isForbiddenModule);
      expect(bad).toEqual([]);
    },
  );

  it.each(files.map((file) => [name(file), file]))(
    '%s imports only src/core and @noble/* or @scure/*',
    (_, file) => {
      const outside = moduleSpecifiers(readFileSync(file, 'utf8')).filter((specifier) => {
        if (specifier.startsWith('.')) {
          const target = resolve(join(file, '..'), specifier);
          return !(target + sep).startsWith(coreDir + sep);
        }
        return !/^@(noble|scure)\//.test(specifier);
      });
      expect(outside).toEqual([]);
    },
  );

  it.each(files.map((file) => [name(file), file]))(
    '%s reads no clock and draws no randomness',
    (_, file) => {
      expect(forbiddenCalls(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );
});
