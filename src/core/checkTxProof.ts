/**
 * A light client's check that a transaction is in the chain, trusting the node for nothing but
 * the bytes it sends (the SPV check of Bitcoin's whitepaper, §8): with the block's header, the
 * transaction's merkle path, and the headers above that block up to the node's tip, it checks
 *
 *   1. the header's canonical bytes hash (SHA-256d) to the block's hash;
 *   2. that hash meets the target the header's bits declare (proof of work);
 *   3. the merkle path, re-hashed from the transaction id up, ends at the header's merkle root;
 *   4. each header above follows the one before (its prev_hash is that header's hash, its height
 *      one more) and has its own proof of work;
 *   5. the tip the node names is on those headers, so the block is on the chain the node follows
 *      as its most-work chain, buried under the work of every header above it.
 *
 * What it cannot see: a branch with more work that the node hides. That takes asking other
 * nodes, or keeping every header from genesis (docs/protocol.md §Chains and fork choice).
 */
import { toHex } from './bytes.js';
import { decodeHeader, hashHeader } from './encoding/header.js';
import { type MerkleStep, merklePathHashes } from './merkleProof.js';
import { decodeBits, hashMeetsTarget, workFromBits } from './pow.js';
import type { BlockHeader } from './types.js';

export interface TxProof {
  readonly id: Uint8Array;
  /** The hash the node says the block has. */
  readonly blockHash: string;
  readonly header: Uint8Array;
  readonly path: readonly MerkleStep[];
}

export interface ChainAbove {
  /** The main chain's headers after the block, in order, as the node sent them. */
  readonly headers: readonly Uint8Array[];
  /** The tip the node names (GET /api/info). */
  readonly tipHash: string;
  readonly tipHeight: number;
}

export interface ProofCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ProofVerdict {
  readonly ok: boolean;
  readonly checks: readonly ProofCheck[];
  readonly header: BlockHeader | undefined;
  /** From the transaction id to the root, the id first. */
  readonly pathHashes: readonly Uint8Array[];
  /** The block and the headers above it that were checked: its confirmations, counted here. */
  readonly confirmations: number;
  /** Expected hashes spent on the block and the headers above it (the sum of their work). */
  readonly work: bigint;
}

const hex64 = (n: bigint) => n.toString(16).padStart(64, '0');

/** Proof of work of one header: its hash meets the (valid) target its bits declare. */
function hasWork(header: BlockHeader, hash: Uint8Array): boolean {
  const { target, negative, overflow } = decodeBits(header.bits);
  return !negative && !overflow && target > 0n && hashMeetsTarget(hash, target);
}

export function checkTxProof(proof: TxProof, above: ChainAbove): ProofVerdict {
  const decoded = decodeHeader(proof.header);
  if (!decoded.ok) {
    const failed = { check: 'the header decodes', ok: false, detail: decoded.detail };
    return {
      ok: false,
      checks: [failed],
      header: undefined,
      pathHashes: [],
      confirmations: 0,
      work: 0n,
    };
  }
  const header = decoded.value;
  const hashBytes = hashHeader(header);
  const hash = toHex(hashBytes);
  const pathHashes = merklePathHashes(proof.id, proof.path);
  const root = toHex(header.merkleRoot);

  // Walk up the headers above, each linked to the one before and with its own work.
  let previous = { hash, height: header.height };
  let work = workFromBits(header.bits);
  let broken = '';
  const hashAt = new Map<number, string>([[header.height, hash]]);
  for (const bytes of above.headers) {
    const next = decodeHeader(bytes);
    if (!next.ok) {
      broken = `a header above does not decode: ${next.detail}`;
      break;
    }
    const nextHash = hashHeader(next.value);
    if (toHex(next.value.prevHash) !== previous.hash || next.value.height !== previous.height + 1) {
      broken = `header ${next.value.height} does not follow block ${previous.height} ${previous.hash}`;
      break;
    }
    if (!hasWork(next.value, nextHash)) {
      broken = `header ${next.value.height} has no proof of work`;
      break;
    }
    previous = { hash: toHex(nextHash), height: next.value.height };
    hashAt.set(previous.height, previous.hash);
    work += workFromBits(next.value.bits);
  }
  const linked = broken === '' && above.headers.length > 0 ? above.headers.length : 0;
  const tipOnIt = broken === '' && hashAt.get(above.tipHeight) === above.tipHash;

  const checks: ProofCheck[] = [
    { check: 'header hashes to the block', ok: hash === proof.blockHash, detail: hash },
    {
      check: 'proof of work: the hash is below the target',
      ok: hasWork(header, hashBytes),
      detail: `target ${hex64(decodeBits(header.bits).target)}`,
    },
    {
      check: "merkle path ends at the header's merkle root",
      ok: toHex(pathHashes.at(-1)!) === root,
      detail: root,
    },
    {
      check: 'headers above link it to the tip, each with its proof of work',
      ok: broken === '',
      detail:
        broken || `${linked} ${linked === 1 ? 'header' : 'headers'} above block ${header.height}`,
    },
    {
      check: "the node's tip is on them: the block is on its most-work chain",
      ok: tipOnIt,
      detail: tipOnIt
        ? `tip ${above.tipHash} at height ${above.tipHeight}`
        : `the node names tip ${above.tipHash} at height ${above.tipHeight}, not on these headers`,
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    checks,
    header,
    pathHashes,
    confirmations: broken === '' ? above.headers.length + 1 : 0,
    work,
  };
}
