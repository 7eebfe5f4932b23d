/**
 * fast-check arbitraries of the protocol's values, over their whole encodable ranges (u32, u64,
 * safe-integer timestamps, fixed-length byte strings): not necessarily valid, only encodable.
 */
import fc from 'fast-check';
import type {
  Block,
  BlockHeader,
  Coinbase,
  Transfer,
  UnsignedTransfer,
} from '../../src/core/index.js';

const U64_MAX = (1n << 64n) - 1n;

export const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const u64 = fc.bigInt({ min: 0n, max: U64_MAX });

const plain = { noNullPrototype: true } as const;
export const unsignedArb: fc.Arbitrary<UnsignedTransfer> = fc.record(
  {
    type: fc.constant('transfer' as const),
    chainId: u32,
    from: bytes(32),
    to: bytes(32),
    amount: u64,
    fee: u64,
    nonce: u64,
  },
  plain,
);
export const transferArb: fc.Arbitrary<Transfer> = fc
  .tuple(unsignedArb, bytes(64))
  .map(([tx, signature]) => ({ ...tx, signature }));
export const coinbaseArb: fc.Arbitrary<Coinbase> = fc.record(
  {
    type: fc.constant('coinbase' as const),
    chainId: u32,
    height: u32,
    to: bytes(32),
    amount: u64,
  },
  plain,
);
export const headerArb: fc.Arbitrary<BlockHeader> = fc.record(
  {
    version: u32,
    height: u32,
    prevHash: bytes(32),
    merkleRoot: bytes(32),
    timestampMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    bits: u32,
    nonce: u64,
  },
  plain,
);
export const blockArb: fc.Arbitrary<Block> = fc.record(
  {
    header: headerArb,
    txs: fc.array(fc.oneof(transferArb, coinbaseArb), { maxLength: 5 }),
  },
  plain,
);
