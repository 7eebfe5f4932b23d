/**
 * Context-free block checks, cheapest first (bcoin's checkBody, lodestar's order): size, header,
 * proof of work against the header's own bits, then the body. What needs the chain (the parent,
 * the target the chain requires, balances) is validateBlock's.
 */
import { toHex } from './bytes.js';
import { checkTransfer, isEncodable } from './checkTx.js';
import { blockSize } from './encoding/block.js';
import { hashHeader } from './encoding/header.js';
import { hashTx } from './encoding/tx.js';
import { BLOCK_VERSION } from './genesis.js';
import { merkleRoot } from './merkle.js';
import { MAX_MONEY } from './money.js';
import type { NetworkParams } from './params.js';
import { hashMeetsTarget, targetFromBits } from './pow.js';
import { fail, ok, type Result } from './result.js';
import type { Block, BlockHeader } from './types.js';

const isU32 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/** Fields a header built in memory (not decoded) could hold outside their encoded range. */
function headerInRange(h: BlockHeader): boolean {
  return (
    isU32(h.version) &&
    isU32(h.height) &&
    isU32(h.bits) &&
    Number.isSafeInteger(h.timestampMs) &&
    h.timestampMs >= 0 &&
    h.nonce >= 0n &&
    h.nonce < 1n << 64n &&
    h.prevHash.length === 32 &&
    h.merkleRoot.length === 32
  );
}

/**
 * Version, well-formed bits no easier than the network's limit, and the proof of work; the
 * header's hash. `hashed`: that hash, if the caller computed it already (hashHeader of this very
 * header: a sync hashes each block's header to know it is the one it asked for).
 */
export function checkHeader(
  header: BlockHeader,
  params: NetworkParams,
  hashed?: Uint8Array,
): Result<Uint8Array> {
  if (!headerInRange(header)) {
    return fail('ENCODING_OUT_OF_RANGE', 'a header field is outside the range its encoding holds');
  }
  if (header.version !== BLOCK_VERSION) {
    return fail(
      'BLOCK_BAD_VERSION',
      `version ${header.version}; this protocol knows ${BLOCK_VERSION}`,
    );
  }
  const target = targetFromBits(header.bits, params.powLimitBits);
  if (!target.ok) return target;
  const hash = hashed ?? hashHeader(header);
  if (!hashMeetsTarget(hash, target.value)) {
    return fail(
      'POW_INSUFFICIENT_WORK',
      `hash ${toHex(hash)} is above the target of bits 0x${header.bits.toString(16)}`,
    );
  }
  return ok(hash);
}

export interface CheckedBlock {
  readonly hash: Uint8Array;
  readonly txIds: readonly Uint8Array[];
  /** The same ids in hex, in the same order (made once, for the duplicate check). */
  readonly txIdsHex: readonly string[];
}

/**
 * `hashed`: the ids of these very transactions, if the caller has hashed them already (Chain,
 * which starts the signature checks of a block extending its tip as soon as it has the ids, or
 * takes them from the bytes a sync decoded the block from). `headerHash`: the header's hash, if
 * the caller has computed it from this very header (checkHeader's `hashed`). `hashedRoot`: the
 * merkle root of `hashed`, if the caller has computed it (merkleRoot of that very list); it is
 * still compared with the header's here. `hashedHex`: the same ids as `hashed` in hex, in the
 * same order, if the caller has made them (toHex of that very list); taken only with `hashed`.
 */
export function checkBlock(
  block: Block,
  params: NetworkParams,
  hashed?: readonly Uint8Array[],
  headerHash?: Uint8Array,
  hashedRoot?: Uint8Array,
  hashedHex?: readonly string[],
): Result<CheckedBlock> {
  const size = blockSize(block);
  if (size > params.maxBlockBytes) {
    return fail('BLOCK_TOO_LARGE', `${size} bytes; the limit is ${params.maxBlockBytes}`);
  }
  const header = checkHeader(block.header, params, headerHash);
  if (!header.ok) return header;

  const [coinbase, ...rest] = block.txs;
  if (coinbase?.type !== 'coinbase') {
    return fail('BLOCK_NO_COINBASE', 'the first transaction must be the coinbase');
  }
  if (coinbase.height !== block.header.height) {
    return fail(
      'BLOCK_COINBASE_BAD_HEIGHT',
      `coinbase height ${coinbase.height} in block ${block.header.height}`,
    );
  }
  if (coinbase.chainId !== params.chainId) {
    return fail('TX_WRONG_CHAIN', `coinbase chain id ${coinbase.chainId} is not ${params.chainId}`);
  }
  if (coinbase.amount > MAX_MONEY) {
    return fail(
      'BLOCK_COINBASE_TOO_LARGE',
      `coinbase pays ${coinbase.amount}, more than can exist`,
    );
  }
  // CONSENSUS: the body must be the one the header commits to before any rule judges it, so that
  // a failure below can be blamed on the block itself and not on a peer that altered it.
  if (!block.txs.every(isEncodable)) {
    return fail(
      'ENCODING_OUT_OF_RANGE',
      'a transaction field is outside the range its encoding holds',
    );
  }
  const txIds = hashed ?? block.txs.map(hashTx);
  // PERF: the chain made the hex of a big block's ids already, to start its signature checks
  // (chain/verifySignatures.ts): one toHex a transaction less (see Chain.addChecked).
  const givenHex =
    hashed !== undefined && hashedHex?.length === txIds.length ? hashedHex : undefined;
  const txIdsHex = givenHex ?? txIds.map(toHex);
  const seen = new Set<string>();
  for (const hex of txIdsHex) {
    if (seen.has(hex)) return fail('BLOCK_DUPLICATE_TX', `transaction ${hex} appears twice`);
    seen.add(hex);
  }
  // PERF: a full block's root is ≈ 6,400 SHA-256d of 64 bytes (≈ 20 ms); the chain computed it
  // already to start the block's signature checks (chain/verifySignatures.ts).
  const root = hashed !== undefined && hashedRoot !== undefined ? hashedRoot : merkleRoot(txIds);
  if (toHex(root) !== toHex(block.header.merkleRoot)) {
    return fail(
      'BLOCK_BAD_MERKLE_ROOT',
      `header says ${toHex(block.header.merkleRoot)}, transactions give ${toHex(root)}`,
    );
  }
  for (const [i, tx] of rest.entries()) {
    if (tx.type === 'coinbase') {
      return fail('BLOCK_MULTIPLE_COINBASES', `transaction ${i + 1} is a second coinbase`);
    }
    const checked = checkTransfer(tx, params);
    if (!checked.ok) return fail(checked.code, `transaction ${i + 1}: ${checked.detail}`);
  }

  return ok({ hash: header.value, txIds, txIdsHex });
}
