/**
 * decodeBlock's `views`: the same block as a plain decode, its transactions' byte fields views
 * into the input (one buffer a block), its header copied; the same refusals. ownTx and ownBytes
 * give a view's bytes memory of their own, for what keeps a transaction longer than its block.
 */
import { describe, expect, it } from 'vitest';
import {
  type Block,
  decodeBlock,
  encodeBlock,
  ownBytes,
  ownTx,
  type Transfer,
} from '../../../src/core/index.js';
import { alice, bob, carol, fundedChain } from '../../support/chainBuilder.js';

const b = fundedChain();
const block: Block = b.mine({
  transfers: [b.transfer(alice, carol, 5n), b.transfer(bob, carol, 7n)],
});
const bytes = encodeBlock(block);

const fieldsOf = (tx: Block['txs'][number]) =>
  tx.type === 'transfer' ? [tx.from, tx.to, tx.signature] : [tx.to];

describe('decodeBlock with views', () => {
  it('gives the same block, its transactions viewing the input and its header copied', () => {
    const viewed = decodeBlock(bytes, { views: true });
    if (!viewed.ok) throw new Error(viewed.detail);
    expect(viewed.value).toEqual(block);
    for (const tx of viewed.value.txs)
      for (const field of fieldsOf(tx)) expect(field.buffer).toBe(bytes.buffer);
    expect(viewed.value.header.prevHash.buffer).not.toBe(bytes.buffer);
    expect(viewed.value.header.merkleRoot.buffer).not.toBe(bytes.buffer);
  });

  it('copies every field without it, as before', () => {
    const copied = decodeBlock(bytes);
    if (!copied.ok) throw new Error(copied.detail);
    for (const tx of copied.value.txs)
      for (const field of fieldsOf(tx)) expect(field.buffer).not.toBe(bytes.buffer);
  });

  it('refuses what a plain decode refuses, with the same code', () => {
    for (const bad of [
      bytes.subarray(0, -1),
      new Uint8Array([...bytes, 0]),
      bytes.subarray(0, 50),
    ]) {
      const plain = decodeBlock(bad);
      expect(plain.ok).toBe(false);
      expect(decodeBlock(bad, { views: true })).toEqual(plain);
    }
  });
});

describe('ownTx and ownBytes', () => {
  it("copy a view's bytes into memory of their own, equal to them", () => {
    const viewed = decodeBlock(bytes, { views: true });
    if (!viewed.ok) throw new Error(viewed.detail);
    for (const tx of viewed.value.txs) {
      const own = ownTx(tx);
      expect(own).toEqual(tx);
      for (const field of fieldsOf(own)) {
        expect(field.buffer).not.toBe(bytes.buffer);
        expect(field.buffer.byteLength).toBe(field.byteLength);
      }
    }
    const view = bytes.subarray(10, 42);
    expect(ownBytes(view)).toEqual(view);
    expect(ownBytes(view).buffer.byteLength).toBe(32);
  });

  it('give back the same object when nothing is a view', () => {
    const transfer = block.txs[1] as Transfer;
    expect(ownTx(transfer)).toBe(transfer);
    expect(ownTx(block.txs[0]!)).toBe(block.txs[0]);
    expect(ownBytes(transfer.from)).toBe(transfer.from);
  });
});
