/**
 * Properties of the core, checked by fast-check on generated inputs: canonical encodings round
 * trip and refuse any cut or extension, signatures verify (noble and node:crypto alike) and break
 * at any flipped bit, applyBlock is undone exactly by its undo diff, money is conserved, compact
 * bits round down canonically, and a merkle root is not fooled by a duplicated last leaf.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBlock,
  applyDiff,
  type Block,
  blockSubsidy,
  type Coinbase,
  decodeBits,
  decodeBlock,
  decodeHeader,
  decodeTx,
  encodeBits,
  encodeBlock,
  encodeHeader,
  encodeTx,
  mapReader,
  merkleRoot,
  type Result,
  spendableAt,
  type Transfer,
  targetFromBits,
  toHex,
  undoBlock,
  verifyTransfer,
} from '../../../src/core/index.js';
import { nobleVerify, publicKeyFromSecret, signTransfer } from '../../../src/core/nobleEd25519.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import {
  blockArb,
  bytes,
  coinbaseArb,
  headerArb,
  transferArb,
  unsignedArb,
} from '../../support/arbitraries.js';
import {
  blockPlanArb,
  buildPlannedChain,
  easyParams,
  KEYS,
  keyHex,
} from '../../support/propertyChains.js';

const nodeVerify = createNodeVerifier().verify;
const MAX_TARGET = (1n << 256n) - 1n;

/** decode(encode(x)) = x, re-encodes to the same bytes, and every cut or extension is refused. */
function roundTrip<T>(
  x: T,
  encode: (x: T) => Uint8Array,
  decode: (b: Uint8Array) => Result<T>,
  extra: Uint8Array,
): void {
  const encoded = encode(x);
  const decoded = decode(encoded);
  if (!decoded.ok) throw new Error(`decode failed: ${decoded.code}`);
  expect(decoded.value).toStrictEqual(x);
  expect(encode(decoded.value)).toStrictEqual(encoded);
  for (let cut = 0; cut < encoded.length; cut++) {
    const prefix = decode(encoded.subarray(0, cut));
    expect(prefix.ok || prefix.code).toBe('ENCODING_TRUNCATED');
  }
  const extended = decode(new Uint8Array([...encoded, ...extra]));
  expect(extended.ok || extended.code).toBe('ENCODING_TRAILING_BYTES');
}

describe('canonical encodings', () => {
  const extra = fc.uint8Array({ minLength: 1, maxLength: 40 });

  it('round-trips transfers and coinbases, refusing cuts and extensions', () => {
    fc.assert(
      fc.property(fc.oneof(transferArb, coinbaseArb), extra, (tx, more) =>
        roundTrip(tx, encodeTx, decodeTx, more),
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips headers, refusing cuts and extensions', () => {
    fc.assert(
      fc.property(headerArb, extra, (h, more) => roundTrip(h, encodeHeader, decodeHeader, more)),
      { numRuns: 200 },
    );
  });

  it('round-trips blocks, refusing cuts and extensions', () => {
    fc.assert(
      fc.property(blockArb, extra, (b, more) => roundTrip(b, encodeBlock, decodeBlock, more)),
      { numRuns: 60 },
    );
  });

  it('round-trips a block whose transaction count needs a 3-byte varint', () => {
    fc.assert(
      fc.property(headerArb, coinbaseArb, fc.constantFrom(252, 253), (h, cb, n) => {
        const block: Block = { header: h, txs: Array.from({ length: n }, () => cb) };
        const encoded = encodeBlock(block);
        expect(encoded[92]).toBe(n < 253 ? n : 0xfd);
        roundTrip(block, encodeBlock, decodeBlock, new Uint8Array([0]));
      }),
      { numRuns: 2 },
    );
  });
});

describe('signatures', () => {
  const verifiers = { noble: nobleVerify, node: nodeVerify };
  const signedArb = fc
    .tuple(bytes(32), unsignedArb)
    .map(([secret, tx]) => signTransfer({ ...tx, from: publicKeyFromSecret(secret) }, secret));

  /** The transfer with bit `bit` of its encoding flipped (byte 0, the type, is left alone). */
  const flipped = (tx: Transfer, bit: number): Transfer => {
    const encoded = encodeTx(tx);
    encoded[1 + (bit >> 3)]! ^= 1 << (bit & 7);
    const decoded = decodeTx(encoded);
    if (!decoded.ok || decoded.value.type !== 'transfer')
      throw new Error('flip broke the encoding');
    return decoded.value;
  };
  const FIELD_BITS = (157 - 1) * 8;

  it('signTransfer then verifyTransfer holds with noble and node:crypto', () => {
    fc.assert(
      fc.property(signedArb, (tx) => {
        expect(verifyTransfer(tx, verifiers.noble)).toBe(true);
        expect(verifyTransfer(tx, verifiers.node)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('flipping any one bit of the signed fields or the signature breaks both verifiers', () => {
    fc.assert(
      fc.property(signedArb, fc.nat({ max: FIELD_BITS - 1 }), (tx, bit) => {
        const bad = flipped(tx, bit);
        expect(verifyTransfer(bad, verifiers.noble)).toBe(false);
        expect(verifyTransfer(bad, verifiers.node)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('every single-bit flip of one signed transfer fails both verifiers', () => {
    const [tx] = fc.sample(signedArb, { numRuns: 1, seed: 7 });
    for (let bit = 0; bit < FIELD_BITS; bit++) {
      const bad = flipped(tx!, bit);
      if (verifyTransfer(bad, verifiers.node) || verifyTransfer(bad, verifiers.noble)) {
        throw new Error(`bit ${bit} flipped and the signature still verifies`);
      }
    }
  });
});

describe('applyBlock on random valid chains', () => {
  const paramsArb = fc.constantFrom(
    easyParams(),
    easyParams({ coinbaseMaturity: 1 }),
    easyParams({ coinbaseMaturity: 3 }),
    easyParams({ coinbaseMaturity: 2, halvingIntervalBlocks: 2 }),
  );
  const chainArb = fc.tuple(paramsArb, fc.array(blockPlanArb, { minLength: 1, maxLength: 7 }));

  it('undoBlock takes the state back exactly, block by block and all the way down', () => {
    fc.assert(
      fc.property(chainArb, ([params, plans]) => {
        const chain = buildPlannedChain(params, plans);
        const undos = [];
        for (let h = 1; h < chain.blocks.length; h++) {
          const before = chain.states[h - 1]!;
          const frozen = structuredClone(before);
          const effects = applyBlock(mapReader(before), chain.blocks[h]!, params);
          if (!effects.ok) throw new Error(`block ${h}: ${effects.code}`);
          expect(before).toStrictEqual(frozen); // the input state is not modified
          const after = applyDiff(before, effects.value.diff);
          expect(after).toStrictEqual(chain.states[h]);
          expect(applyDiff(after, undoBlock(effects.value))).toStrictEqual(before);
          undos.push(undoBlock(effects.value));
        }
        let state = chain.accounts;
        for (let h = chain.blocks.length - 1; h >= 1; h--) {
          state = applyDiff(state, undos[h - 1]!);
          expect(state).toStrictEqual(chain.states[h - 1]);
        }
        expect(state.size).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  // NOTE: a fee leaves its sender and comes back in the coinbase, so the coinbases count each fee
  // twice: the balances sum to the coinbases minus the fees, i.e. the new money the miners claimed.
  it('conserves money: balances sum to coinbases minus fees, none negative, spendable <= balance', () => {
    fc.assert(
      fc.property(chainArb, ([params, plans]) => {
        const chain = buildPlannedChain(params, plans);
        let minted = 0n;
        for (const [h, accounts] of chain.states.entries()) {
          const block = chain.blocks[h]!;
          const [coinbase, ...transfers] = block.txs as [Coinbase, ...Transfer[]];
          if (h > 0) {
            const fees = transfers.reduce((sum, tx) => sum + tx.fee, 0n);
            expect(coinbase.amount <= blockSubsidy(params, h) + fees).toBe(true);
            minted += coinbase.amount - fees;
          }
          let total = 0n;
          for (const account of accounts.values()) {
            total += account.balance;
            expect(account.balance >= 0n).toBe(true);
            for (let at = h + 1; at <= h + 1 + params.coinbaseMaturity; at++) {
              const spendable = spendableAt(account, at);
              expect(spendable >= 0n && spendable <= account.balance).toBe(true);
            }
          }
          expect(total).toBe(minted);
        }
        for (const i of KEYS.keys()) {
          const account = chain.accounts.get(keyHex(i));
          expect({ balance: account?.balance ?? 0n, nonce: account?.nonce ?? 0n }).toStrictEqual(
            chain.modelAccount(i),
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('compact bits', () => {
  const targetArb = fc.oneof(
    fc.bigInt({ min: 1n, max: MAX_TARGET }),
    fc
      .integer({ min: 1, max: 256 })
      .chain((n) => fc.bigInt({ min: 1n << BigInt(n - 1), max: (1n << BigInt(n)) - 1n })),
  );

  it('encodeBits rounds down to the top 3 significant bytes, canonically', () => {
    fc.assert(
      fc.property(targetArb, (target) => {
        const bits = encodeBits(target);
        const exponent = bits >>> 24;
        const decoded = decodeBits(bits);
        const shift = BigInt(8 * Math.max(0, exponent - 3));
        expect(decoded).toStrictEqual({
          target: (target >> shift) << shift,
          negative: false,
          overflow: false,
        });
        expect(decoded.target <= target && decoded.target > 0n).toBe(true);
        expect(encodeBits(decoded.target)).toBe(bits);
        const accepted = targetFromBits(bits, encodeBits(MAX_TARGET));
        expect(accepted).toStrictEqual({ ok: true, value: decoded.target });
      }),
      { numRuns: 500 },
    );
  });

  it('targetFromBits accepts an encoded target exactly when it is no easier than the limit', () => {
    fc.assert(
      fc.property(targetArb, targetArb, (target, limit) => {
        const bits = encodeBits(target);
        const result = targetFromBits(bits, encodeBits(limit));
        const easier = decodeBits(bits).target > decodeBits(encodeBits(limit)).target;
        expect(result.ok ? 'ok' : result.code).toBe(easier ? 'POW_BAD_BITS' : 'ok');
      }),
      { numRuns: 300 },
    );
  });
});

describe('merkleRoot', () => {
  it('changes when the last leaf is appended again', () => {
    const leaves = fc.uniqueArray(bytes(32), { minLength: 1, maxLength: 20, selector: toHex });
    fc.assert(
      fc.property(leaves, (ids) => {
        const root = merkleRoot(ids);
        expect(toHex(merkleRoot([...ids, ids[ids.length - 1]!]))).not.toBe(toHex(root));
      }),
      { numRuns: 300 },
    );
  });
});
