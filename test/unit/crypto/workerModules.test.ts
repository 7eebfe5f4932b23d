/**
 * A signature worker loads only the core's modules it uses, not the core's index (which loads
 * every module of the protocol, the address codecs and their packages): a worker starts on a big
 * block's path (signatureWorker.ts says by how much). Walks the worker's imports from its source.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('../../../src/crypto/signatureWorker.ts', import.meta.url));

/** Every file of src/ the file imports, at any depth (type-only imports left out), and packages. */
function moduleGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, typeOnly, specifier] of source.matchAll(
    /^(?:import|export)\s+(type\s)?[^'";]*?from\s+'([^']+)'/gm,
  )) {
    if (typeOnly || !specifier || specifier.startsWith('node:')) continue;
    if (!specifier.startsWith('.')) seen.add(`package ${specifier}`);
    else moduleGraph(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('a signature worker', () => {
  it("loads the core's modules it uses, not its index", () => {
    const graph = [...moduleGraph(WORKER)];
    const src = resolve(dirname(WORKER), '..');
    const ours = graph.filter((f) => !f.startsWith('package ')).map((f) => f.slice(src.length + 1));
    expect(ours).toContain('crypto/signatureWorker.ts');
    expect(ours).toContain('core/encoding/reader.ts');
    expect(ours).not.toContain('core/index.ts');
    expect(graph).not.toContain('package @scure/base');
    // 14 when this was written (43 through the index): room for a few more, not for the index.
    expect(ours.length).toBeLessThanOrEqual(20);
  });
});
