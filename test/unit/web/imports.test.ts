/**
 * The dashboards talk to the node only over its HTTP API (STYLE.md: `web → api client`), and
 * everything they import is bundled into the browser. So web/src may import itself, the pure
 * core, the wallet and the API client, and npm packages — never the node's own code (server,
 * chain, storage, p2p, …) and never a node:* built-in.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleSpecifiers, repoRoot as root, sourceFiles } from '../../support/imports.js';

const webDir = join(root, 'web', 'src');
// src/lab/timeline.ts and describe.ts: the lab's event shapes and their wording, pure (no
// import but each other), shared by the lab controller and the Lab page; theory.ts and
// batchResult.ts: the formulas and a batch's figures (pure), which the page charts.
const ALLOWED = [
  'web/src/',
  'src/core/',
  'src/wallet/',
  'src/api/client.ts',
  'src/lab/timeline.ts',
  'src/lab/describe.ts',
  'src/lab/theory.',
  'src/lab/batchResult.',
  // The Protocol page bundles the specification's text as it is (?raw).
  'docs/protocol.md',
];

/** Why `specifier`, imported from `file`, is not allowed; undefined when it is. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return 'a Node built-in';
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(root, resolve(dirname(file), specifier))
    .split(sep)
    .join('/');
  return ALLOWED.some((prefix) => target.startsWith(prefix) || target === prefix)
    ? undefined
    : `${target} is not web/src, src/core, src/wallet or src/api/client.ts`;
}

describe('web/src imports', () => {
  const files = sourceFiles(webDir);

  it('finds the dashboard sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('reaches the node only through the API client', () => {
    const problems = files.flatMap((file) =>
      moduleSpecifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
        const why = violation(file, specifier);
        return why ? [`${relative(root, file)} imports ${specifier}: ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('would catch a page importing the server, or a built-in', () => {
    const page = join(webDir, 'pages', 'x', 'Page.tsx');
    expect(violation(page, '../../../../src/api/server.ts')).toMatch(/src\/api\/server/);
    expect(violation(page, '../../../../src/chain/chain.ts')).toBeDefined();
    expect(violation(page, 'node:fs')).toBe('a Node built-in');
    expect(violation(page, '../../../../src/api/client.ts')).toBeUndefined();
    expect(violation(page, '../../../../src/wallet/index.ts')).toBeUndefined();
    expect(violation(page, 'react')).toBeUndefined();
  });
});
