/**
 * checkHeader and checkBlock given the header's hash the caller computed (a sync hashes each
 * block's header to know it is the one it asked for; the chain then does not hash it again):
 * the same verdicts as when they hash it themselves, the proof of work judged by that hash. And
 * checkBlock given the ids' merkle root the chain computed: still compared with the header's.
 */
import { describe, expect, it } from 'vitest';
import {
  checkBlock,
  checkHeader,
  hashHeader,
  hashTx,
  merkleRoot,
  toHex,
} from '../../../src/core/index.js';
import { alice, bob, ChainBuilder, easyParams, unsolve } from '../../support/chainBuilder.js';

function blocks() {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const transfers = [0n, 1n, 2n].map((nonce) => builder.transfer(alice, bob, 1n, { nonce }));
  const good = builder.next({ transfers });
  return { good, unsolved: unsolve(good) };
}

describe('checkHeader and checkBlock with the header hash given', () => {
  it('give the same answers as when they hash the header themselves', () => {
    const { good, unsolved } = blocks();
    for (const block of [good, unsolved]) {
      const hash = hashHeader(block.header);
      expect(checkHeader(block.header, easyParams, hash)).toEqual(
        checkHeader(block.header, easyParams),
      );
      expect(checkBlock(block, easyParams, undefined, hash)).toEqual(checkBlock(block, easyParams));
    }
    expect(checkBlock(unsolved, easyParams)).toMatchObject({ code: 'POW_INSUFFICIENT_WORK' });
  });

  it('judge the proof of work by the hash given', () => {
    const { good, unsolved } = blocks();
    expect(checkHeader(good.header, easyParams, hashHeader(unsolved.header))).toMatchObject({
      ok: false,
      code: 'POW_INSUFFICIENT_WORK',
    });
  });

  it('compare the merkle root given with the header, and use it only with the ids given', () => {
    const { good } = blocks();
    const ids = good.txs.map(hashTx);
    const root = merkleRoot(ids);
    expect(checkBlock(good, easyParams, ids, undefined, root)).toEqual(
      checkBlock(good, easyParams),
    );
    const wrong = merkleRoot(ids.slice(1));
    expect(checkBlock(good, easyParams, ids, undefined, wrong)).toMatchObject({
      ok: false,
      code: 'BLOCK_BAD_MERKLE_ROOT',
    });
    // Without the ids it was made from, a root given is not taken: the block's own is computed.
    expect(checkBlock(good, easyParams, undefined, undefined, wrong).ok).toBe(true);
  });

  it('give the ids in hex too, in block order', () => {
    const { good } = blocks();
    const checked = checkBlock(good, easyParams);
    if (!checked.ok) throw new Error(checked.code);
    expect(checked.value.txIdsHex).toEqual(good.txs.map((tx) => toHex(hashTx(tx))));
  });

  it('take the ids in hex given with the ids, and still find a transaction twice', () => {
    const { good } = blocks();
    const ids = good.txs.map(hashTx);
    const hex = ids.map(toHex);
    const root = merkleRoot(ids);
    const given = checkBlock(good, easyParams, ids, undefined, root, hex);
    expect(given).toEqual(checkBlock(good, easyParams));
    if (!given.ok) throw new Error(given.code);
    expect(given.value.txIdsHex).toBe(hex);
    // Without the ids they were made from, the hex is not taken.
    const alone = checkBlock(good, easyParams, undefined, undefined, undefined, hex);
    expect(alone.ok && alone.value.txIdsHex).not.toBe(hex);

    const twice = { ...good, txs: [...good.txs, good.txs[1]!] };
    const twiceIds = twice.txs.map(hashTx);
    expect(
      checkBlock(twice, easyParams, twiceIds, undefined, undefined, twiceIds.map(toHex)),
    ).toMatchObject({ ok: false, code: 'BLOCK_DUPLICATE_TX' });
  });
});
