/**
 * The Tamper page's model, pure: real blocks plus the visitor's edits in, every block recomputed
 * with the protocol core and judged, out. Nothing here talks to the node.
 *
 * What a tampered block commits to, as the node would see it (docs/protocol.md):
 *   - each transaction's id is SHA-256d of its bytes, and a transfer's signature covers every
 *     field but itself, so editing an amount, fee or recipient changes the id and breaks the
 *     signature (only the sender's key could sign the new fields);
 *   - NOTE: the header's merkle root follows the edited transactions by default, as the data in
 *     Anders Brownworth's demo feeds its hash: the root changes, so the hash changes, so proof of
 *     work almost surely fails and the next block's prev_hash no longer names this block. With
 *     `keepMerkleRoot` the header keeps the root it was mined with: the hash (and the links) stay
 *     the same, but the root no longer matches the transactions. Either way the block is invalid;
 *   - a block whose prev_hash matches its parent's hash but whose parent is invalid is invalid
 *     too (BLOCK_INVALID_ANCESTOR), so one edit marks every later block in the window invalid;
 *   - `prevHash` is only ever set by mining (`mineHeader`): re-mining re-links the block to its
 *     parent's current hash, which changes its own hash and so breaks the link after it, exactly
 *     the demo's lesson. Re-mining never repairs a signature.
 * The window's first block is linked to its real parent, which no edit can reach.
 * Checked here: signatures, merkle root, proof of work and links. Balances, timestamps and the
 * coinbase amount need the chain's state and are left to the node: the page sends the edited
 * block to it (POST /api/blocks) and shows its refusal and code.
 */
import { equalBytes, toHex } from '../../../../src/core/bytes.js';
import { type SignatureVerifier, verifyTransfer } from '../../../../src/core/ed25519.js';
import { hashHeader } from '../../../../src/core/encoding/header.js';
import { hashTx } from '../../../../src/core/encoding/tx.js';
import type { ErrorCode } from '../../../../src/core/errors.js';
import { merkleRoot } from '../../../../src/core/merkle.js';
import { decodeBits, hashMeetsTarget } from '../../../../src/core/pow.js';
import type { Block, BlockHeader, Tx } from '../../../../src/core/types.js';

export interface TxEdit {
  readonly amount?: bigint;
  readonly fee?: bigint;
  readonly to?: Uint8Array;
}

export interface BlockEdit {
  readonly nonce?: bigint;
  readonly timestampMs?: number;
  /** Set by mining: the parent's hash at the time. */
  readonly prevHash?: Uint8Array;
  /** The header keeps the merkle root it was mined with instead of its transactions' root. */
  readonly keepMerkleRoot?: boolean;
  /** Edits of transactions, by their index in the block (the coinbase is index 0). */
  readonly txs?: Readonly<Record<number, TxEdit>>;
}

/** Edits by block height. */
export type Edits = Readonly<Record<number, BlockEdit>>;

export type FailureCode = Extract<
  ErrorCode,
  | 'TX_BAD_SIGNATURE'
  | 'BLOCK_BAD_MERKLE_ROOT'
  | 'POW_INSUFFICIENT_WORK'
  | 'BLOCK_BAD_PREVIOUS'
  | 'BLOCK_INVALID_ANCESTOR'
>;

export interface Failure {
  readonly code: FailureCode;
  /** What went wrong, in words a learner reads on the card. */
  readonly text: string;
}

export type SignatureStatus = 'valid' | 'invalid' | 'none';

export interface TamperedTx {
  readonly tx: Tx;
  readonly id: Uint8Array;
  /** Whether the transaction differs from the one on the chain. */
  readonly edited: boolean;
  readonly signature: SignatureStatus;
}

export type HeaderField = 'prevHash' | 'merkleRoot' | 'timestampMs' | 'nonce';

export interface TamperedBlock {
  readonly original: Block;
  readonly edit: BlockEdit;
  /** The header as edited: the fields a node would hash. */
  readonly header: BlockHeader;
  readonly hash: Uint8Array;
  readonly target: bigint;
  readonly txs: readonly TamperedTx[];
  /** The merkle root of the transactions as edited. */
  readonly txRoot: Uint8Array;
  /** The hash this block's prev_hash must equal: its parent's hash as the parent now stands. */
  readonly parentHash: Uint8Array;
  /** Header fields that differ from the block on the chain. */
  readonly changed: ReadonlySet<HeaderField | 'hash'>;
  readonly failures: readonly Failure[];
  readonly valid: boolean;
}

/** Signature verdicts by transaction id (hex), kept by the caller so an edit re-verifies one. */
export type SignatureCache = Map<string, boolean>;

export function applyTxEdit(tx: Tx, edit: TxEdit | undefined): Tx {
  if (!edit) return tx;
  // The coinbase's amount and recipient can be edited too ("give myself 1,000 coins"): it has
  // no signature to break, so only the node's check of what a coinbase may pay refuses it.
  if (tx.type === 'coinbase')
    return { ...tx, amount: edit.amount ?? tx.amount, to: edit.to ?? tx.to };
  return {
    ...tx,
    amount: edit.amount ?? tx.amount,
    fee: edit.fee ?? tx.fee,
    to: edit.to ?? tx.to,
  };
}

function signatureOf(
  tx: Tx,
  id: Uint8Array,
  verify: SignatureVerifier,
  cache: SignatureCache,
): SignatureStatus {
  if (tx.type !== 'transfer') return 'none';
  const key = toHex(id);
  let ok = cache.get(key);
  if (ok === undefined) {
    ok = verifyTransfer(tx, verify);
    cache.set(key, ok);
  }
  return ok ? 'valid' : 'invalid';
}

const SIGNATURE_TEXT =
  "signature no longer matches (only the sender's key could sign the new fields)";

/** Each block of `blocks` (consecutive main-chain blocks, lowest first) with `edits` applied. */
export function tamper(
  blocks: readonly Block[],
  edits: Edits,
  verify: SignatureVerifier,
  cache: SignatureCache = new Map(),
): TamperedBlock[] {
  const out: TamperedBlock[] = [];
  for (const original of blocks) {
    const height = original.header.height;
    const edit = edits[height] ?? {};
    const parent = out[out.length - 1];
    const txs = original.txs.map((before, i): TamperedTx => {
      const tx = applyTxEdit(before, edit.txs?.[i]);
      const id = hashTx(tx);
      const edited = tx !== before && !equalBytes(id, hashTx(before));
      return { tx, id, edited, signature: signatureOf(tx, id, verify, cache) };
    });
    const txRoot = merkleRoot(txs.map((t) => t.id));
    const header: BlockHeader = {
      ...original.header,
      prevHash: edit.prevHash ?? original.header.prevHash,
      merkleRoot: edit.keepMerkleRoot ? original.header.merkleRoot : txRoot,
      timestampMs: edit.timestampMs ?? original.header.timestampMs,
      nonce: edit.nonce ?? original.header.nonce,
    };
    const hash = hashHeader(header);
    const target = decodeBits(header.bits).target;
    const parentHash = parent ? parent.hash : original.header.prevHash;

    const failures: Failure[] = [];
    const fail = (code: FailureCode, text: string) => failures.push({ code, text });
    for (const [i, t] of txs.entries()) {
      if (t.signature !== 'invalid') continue;
      fail('TX_BAD_SIGNATURE', `transaction ${i}: ${SIGNATURE_TEXT}`);
    }
    if (!equalBytes(header.merkleRoot, txRoot)) {
      fail('BLOCK_BAD_MERKLE_ROOT', 'merkle root does not match its transactions');
    }
    if (!hashMeetsTarget(hash, target)) {
      fail('POW_INSUFFICIENT_WORK', 'hash above target: proof of work fails');
    }
    if (!equalBytes(header.prevHash, parentHash)) {
      fail('BLOCK_BAD_PREVIOUS', `previous hash does not match block ${height - 1}'s hash`);
    } else if (parent && !parent.valid) {
      fail('BLOCK_INVALID_ANCESTOR', `builds on block ${height - 1}, which is invalid`);
    }

    const changed = new Set<HeaderField | 'hash'>();
    for (const field of ['prevHash', 'merkleRoot'] as const) {
      if (!equalBytes(header[field], original.header[field])) changed.add(field);
    }
    if (header.timestampMs !== original.header.timestampMs) changed.add('timestampMs');
    if (header.nonce !== original.header.nonce) changed.add('nonce');
    if (!equalBytes(hash, hashHeader(original.header))) changed.add('hash');

    out.push({
      original,
      edit,
      header,
      hash,
      target,
      txs,
      txRoot,
      parentHash,
      changed,
      failures,
      valid: failures.length === 0,
    });
  }
  return out;
}

/**
 * The header mining starts from: re-linked to the parent as it now stands, committing to the
 * transactions as edited. Only the nonce is then searched.
 */
export function mineHeader(block: TamperedBlock): BlockHeader {
  return { ...block.header, prevHash: block.parentHash, merkleRoot: block.txRoot };
}

/** The edit that records a mined nonce for `header` (from mineHeader). */
export function minedEdit(edit: BlockEdit | undefined, header: BlockHeader, nonce: bigint) {
  const { keepMerkleRoot: _dropped, ...rest } = edit ?? {};
  return { ...rest, prevHash: header.prevHash, nonce } satisfies BlockEdit;
}
