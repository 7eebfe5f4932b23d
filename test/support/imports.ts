/**
 * Reads the imports of source files as text, for the tests that keep the layers apart
 * (architecture.test.ts, layers.test.ts, wallet/browserSafe.test.ts, web/imports.test.ts): one
 * scanner for all of them.
 */
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A path as the tests print it: relative to the root, with forward slashes. */
export const repoPath = (file: string) => relative(repoRoot, file).split(sep).join('/');

/** Every .ts, .tsx, .mts, .cts (and .mjs, .cjs) file under `dir`. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.((c|m)?tsx?|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * The text without comments, so that a comment saying "no Date.now() here" is not a violation.
 * Block comments go whole; a line comment is `//` at the start of a line or after whitespace
 * (which leaves `https://…` inside strings alone).
 */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** Every module specifier in static imports and exports (type-only too), import(), require(). */
export function moduleSpecifiers(text: string): string[] {
  const code = stripComments(text);
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?[\s}*]from\s*['"]([^'"\n]+)['"]/gm,
    /^\s*import\s*['"]([^'"\n]+)['"]/gm,
    /\bimport\s*\(\s*['"`]([^'"`\n]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`\n]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[1]!));
}

/** A Node built-in: `node:*`, or a bare name such as `fs` or `crypto/webcrypto`. */
export const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
