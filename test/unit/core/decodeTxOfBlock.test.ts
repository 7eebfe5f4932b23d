/**
 * decodeTxOfBlock reads one transaction of a block's bytes, skipping the ones before it by their
 * type byte: it must give exactly what decoding the whole block gives, and refuse an index the
 * block does not have or bytes that are not a block.
 */
import { describe, expect, it } from 'vitest';
import { COIN, decodeBlock, decodeTxOfBlock, encodeBlock } from '../../../src/core/index.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';

describe('decodeTxOfBlock', () => {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const transfers = Array.from({ length: 5 }, (_, i) =>
    builder.transfer(alice, bob, COIN / 10n, { nonce: BigInt(i) }),
  );
  builder.mine({ transfers });
  const bytes = encodeBlock(builder.tip);

  it('reads each transaction as decoding the whole block does', () => {
    const whole = decodeBlock(bytes);
    if (!whole.ok) throw new Error(whole.detail);
    expect(whole.value.txs).toHaveLength(6);
    for (const [i, tx] of whole.value.txs.entries()) {
      expect(decodeTxOfBlock(bytes, i)).toEqual({ ok: true, value: tx });
    }
  });

  it('refuses an index the block does not have, and bytes that are not a block', () => {
    for (const index of [-1, 6, 1.5]) expect(decodeTxOfBlock(bytes, index).ok).toBe(false);
    expect(decodeTxOfBlock(bytes.subarray(0, 10), 0).ok).toBe(false);
    expect(decodeTxOfBlock(bytes.subarray(0, bytes.length - 3), 5).ok).toBe(false);
  });
});
