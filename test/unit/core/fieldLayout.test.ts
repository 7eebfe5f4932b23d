/**
 * The byte inspector's layout (src/core/encoding/fieldLayout.ts) against the frozen encoding
 * vectors: the fields, put back together in order, are exactly the canonical bytes (so they hash
 * to the vector's id or hash, by node:crypto), each field's offset and length follow from the
 * one before, the offsets are docs/protocol.md's tables, and what the decoders refuse the
 * layout refuses with the same code.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ByteField,
  joinFields,
  layoutBlock,
  layoutHeader,
  layoutTx,
} from '../../../src/core/encoding/fieldLayout.js';
import { fromHex, type Result } from '../../../src/core/index.js';

interface Vector {
  kind: 'transfer' | 'coinbase' | 'header' | 'block' | 'invalid';
  description: string;
  hex: string;
  id?: string;
  hash?: string;
  what?: 'tx' | 'header' | 'block';
  error?: string;
}
const { vectors } = JSON.parse(
  readFileSync(new URL('../../vectors/encoding.json', import.meta.url), 'utf8'),
) as { vectors: Vector[] };
const sha256d = (hex: string) => {
  const once = createHash('sha256').update(Buffer.from(hex, 'hex')).digest();
  return createHash('sha256').update(once).digest('hex');
};
function fields(result: Result<ByteField[]>): ByteField[] {
  if (!result.ok) throw new Error(`${result.code}: ${result.detail}`);
  return result.value;
}
/** Each field starts where the one before ended, from 0 to the end of the bytes. */
function expectContiguous(laid: readonly ByteField[], size: number): void {
  let at = 0;
  for (const f of laid) {
    expect(f.offset, f.name).toBe(at);
    expect(f.bytes.length).toBe(f.length);
    at += f.length;
  }
  expect(at).toBe(size);
}
const rows = (laid: readonly ByteField[]) => laid.map((f) => [f.offset, f.length, f.name]);

describe('the byte layout of the canonical encodings', () => {
  const of = (kind: Vector['kind']) => vectors.filter((v) => v.kind === kind);

  it('lays out transfers and coinbases as the protocol tables say, and they re-assemble to their ids', () => {
    expect(of('transfer').length + of('coinbase').length).toBeGreaterThan(4);
    for (const v of [...of('transfer'), ...of('coinbase')]) {
      const laid = fields(layoutTx(fromHex(v.hex)));
      expectContiguous(laid, v.hex.length / 2);
      expect(joinFields(laid), v.description).toBe(v.hex);
      expect(sha256d(joinFields(laid))).toBe(v.id);
      expect(new Set(laid.map((f) => f.part))).toEqual(new Set(['transaction']));
    }
    const transfer = fields(layoutTx(fromHex(of('transfer')[0]!.hex)));
    expect(rows(transfer)).toEqual([
      [0, 1, 'transaction type'],
      [1, 4, 'chain_id'],
      [5, 32, 'from'],
      [37, 32, 'to'],
      [69, 8, 'amount'],
      [77, 8, 'fee'],
      [85, 8, 'nonce'],
      [93, 64, 'signature'],
    ]);
    expect(transfer.find((f) => f.name === 'amount')!.value).toBe(150_000_000n);
    expect(transfer.find((f) => f.name === 'signature')!.section).toBe('signatures');
    const coinbase = fields(layoutTx(fromHex(of('coinbase')[0]!.hex)));
    expect(rows(coinbase)).toEqual([
      [0, 1, 'transaction type'],
      [1, 4, 'chain_id'],
      [5, 4, 'height'],
      [9, 32, 'to'],
      [41, 8, 'amount'],
    ]);
    expect(coinbase[0]!.section).toBe('coinbase-type-00-49-bytes');
  });

  it('lays out headers field by field; they re-assemble to the bytes whose SHA-256d is the hash', () => {
    for (const v of of('header')) {
      const laid = fields(layoutHeader(fromHex(v.hex)));
      expectContiguous(laid, 92);
      expect(joinFields(laid)).toBe(v.hex);
      expect(sha256d(joinFields(laid))).toBe(v.hash);
    }
    const laid = fields(layoutHeader(fromHex(of('header')[0]!.hex)));
    expect(rows(laid)).toEqual([
      [0, 4, 'version'],
      [4, 4, 'height'],
      [8, 32, 'prev_hash'],
      [40, 32, 'merkle_root'],
      [72, 8, 'timestamp_ms'],
      [80, 4, 'bits'],
      [84, 8, 'nonce'],
    ]);
    expect(laid.map((f) => f.value)).toEqual([
      1,
      1,
      fromHex('0000c20f8fe8a35136496bdffe6f9b866ebd88ae76444194a53a0912e6a22a8b'),
      fromHex('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'),
      1_767_225_605_000,
      0x1f00ffff,
      12_345n,
    ]);
  });

  it('lays out whole blocks: header, the varint count, each transaction in its part', () => {
    for (const v of of('block')) {
      const laid = fields(layoutBlock(fromHex(v.hex)));
      expectContiguous(laid, v.hex.length / 2);
      expect(joinFields(laid)).toBe(v.hex);
      expect(sha256d(joinFields(laid.filter((f) => f.part === 'header')))).toBe(v.hash);
    }
    const laid = fields(layoutBlock(fromHex(of('block')[0]!.hex)));
    const count = laid.find((f) => f.name === 'transaction count')!;
    expect([count.offset, count.length, count.value, count.section]).toEqual([92, 1, 2, 'varint']);
    expect([...new Set(laid.map((f) => f.part))]).toEqual([
      'header',
      'block',
      'transaction 0',
      'transaction 1',
    ]);
    const second = laid.filter((f) => f.part === 'transaction 1');
    expect([second[0]!.offset, second.at(-1)!.offset + second.at(-1)!.length]).toEqual([
      92 + 1 + 49,
      92 + 1 + 49 + 157,
    ]);
  });

  it('refuses what the decoders refuse, with their codes', () => {
    const bad = of('invalid');
    expect(bad.length).toBeGreaterThan(5);
    const layout = { tx: layoutTx, header: layoutHeader, block: layoutBlock };
    for (const v of bad) {
      const result = layout[v.what!](fromHex(v.hex));
      expect(result.ok ? 'accepted' : result.code, v.description).toBe(v.error);
    }
  });
});
