/** The chain's options, events and answers (chain.ts), and the block in hand it passes around. */
import type { Block, NetworkParams } from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';
import type { ChainStore } from '../storage/types.js';
import type { BlockEntry } from './blockIndex.js';
import type { SideLimits } from './sideBranches.js';

export type AddBlockOutcome =
  | { status: 'connected'; entry: BlockEntry; reorgDepth: number }
  | { status: 'side'; entry: BlockEntry }
  | { status: 'duplicate'; entry: BlockEntry }
  /** The parent is unknown: the caller should fetch `missingHex` (and its ancestors). */
  | { status: 'orphan'; hashHex: string; missingHex: string };

export interface ChainEvents {
  /** `txIds`: the block's transaction ids, in block order (listeners need not hash them again). */
  connected: [entry: BlockEntry, block: Block, txIds: readonly Uint8Array[]];
  disconnected: [entry: BlockEntry, block: Block];
  reorg: [info: { depth: number; oldTip: BlockEntry; newTip: BlockEntry; forkPoint: BlockEntry }];
  tip: [entry: BlockEntry];
  invalid: [entry: BlockEntry, code: string];
}

/**
 * A block the caller has in hand, with its transaction ids (checkBlock computed them): the switch
 * uses it instead of reading the block back from the store and hashing every transaction again.
 */
export interface KnownBlock {
  readonly entry: BlockEntry;
  readonly block: Block;
  readonly txIds: readonly Uint8Array[];
  /** The same ids in hex, if made already (checkBlock's). */
  readonly txIdsHex?: readonly string[];
}

export interface ChainOptions {
  readonly params: NetworkParams;
  readonly store: ChainStore;
  readonly verifier: NodeVerifier;
  readonly now: () => number;
  /** What is kept of side branches (sideBranches.ts; default DEFAULT_SIDE_LIMITS). */
  readonly sideLimits?: SideLimits;
  /** How long a switch of the main chain runs between turns of the event loop (switchSlices.ts). */
  readonly switchSliceMs?: number;
}

/**
 * Where a block came from. `unrequestedFrom`: a block nobody asked for (POST /api/blocks), by
 * source (the caller's IP); such a block falls under the side-branch policy (sideBranches.ts).
 * Blocks a sync asked for, and the node's own, come without it.
 */
export interface BlockOrigin {
  readonly unrequestedFrom?: string;
  /**
   * The bytes the block was decoded from (its canonical encoding): stored as they are, and its
   * transactions' ids hashed from slices of them. SECURITY: the very bytes decodeBlock made
   * `block` of, nothing else: decoding is one-to-one (fixed-size fields, minimal varints, no
   * trailing bytes), so these are encodeBlock(block), byte for byte.
   */
  readonly bytes?: Uint8Array;
  /**
   * The header's hash, computed by the caller from this very block's header (hashHeader; a
   * sync's, to know the block is the one it asked for), so that the chain need not hash it again.
   * SECURITY: never a hash a peer sent.
   */
  readonly hash?: Uint8Array;
  /**
   * A sync's block: its writes are held in one SQL transaction with the sync's others, until
   * the sync commits them (Chain.commitHeld; ChainStore.holdBlocks). Any other block added
   * commits them with its own.
   */
  readonly held?: boolean;
}
