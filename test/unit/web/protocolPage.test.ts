/**
 * The Protocol page (web/src/pages/protocol/) renders docs/protocol.md with GitHub's heading
 * anchors: every section the byte inspector links to exists, and so does every section the
 * document links to itself, so no link of the dashboard into the protocol lands nowhere.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutBlock, layoutHeader, layoutTx } from '../../../src/core/encoding/fieldLayout.js';
import { fromHex } from '../../../src/core/index.js';
import { renderProtocol } from '../../../web/src/pages/protocol/renderProtocol.js';
import { headingSlug } from '../../../web/src/pages/protocol/slug.js';

const markdown = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
const { vectors } = JSON.parse(
  readFileSync(new URL('../../vectors/encoding.json', import.meta.url), 'utf8'),
) as {
  vectors: { kind: 'block' | 'header' | 'transfer' | 'coinbase' | 'invalid'; hex: string }[];
};

const layouts = {
  block: layoutBlock,
  header: layoutHeader,
  transfer: layoutTx,
  coinbase: layoutTx,
};

describe('the Protocol page', () => {
  const doc = renderProtocol(markdown);

  it('gives each heading its GitHub anchor, once', () => {
    expect(headingSlug('Transfer (type `01`, 157 bytes)'.replace(/`/g, ''))).toBe(
      'transfer-type-01-157-bytes',
    );
    expect(headingSlug('Worked example: a signed transfer')).toBe(
      'worked-example-a-signed-transfer',
    );
    expect(doc.anchors).toContain('block-header');
    expect(new Set(doc.anchors).size).toBe(doc.anchors.length);
    expect(doc.html).toContain('id="protocol-block-header"');
  });

  it('has every section a byte field links to', () => {
    const sections = new Set<string>();
    for (const v of vectors) {
      const laid = v.kind === 'invalid' ? undefined : layouts[v.kind](fromHex(v.hex));
      if (laid?.ok) for (const f of laid.value) sections.add(f.section);
    }
    // The pages' own links beside the fields (bytes/*.tsx, LightCheck.tsx's LIGHT_CLIENTS).
    for (const s of [
      'merkle-proofs-and-light-clients-informative',
      'proof-of-work',
      'signing-preimage',
      'signatures',
      'transaction-id',
      'coinbase',
      'merkle-root',
    ])
      sections.add(s);
    expect(sections.size).toBeGreaterThan(8);
    for (const section of sections) expect(doc.anchors, section).toContain(section);
  });

  it("turns the document's links to itself into routes to sections it has", () => {
    const links = [...doc.html.matchAll(/href="#\/protocol\/([^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(30);
    for (const link of links) expect(doc.anchors, link).toContain(link);
    expect(doc.html).not.toMatch(/href="#(?!\/)/);
    expect(doc.html).toContain('href="/api/errors"');
  });
});
