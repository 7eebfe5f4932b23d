/**
 * The protocol's data. Byte strings are `Uint8Array`s of fixed length (public keys and hashes:
 * 32, signatures: 64); money and nonces are `bigint` base units; times are integer milliseconds.
 * The canonical bytes of each are defined in `encoding/` and `docs/protocol.md`.
 */

/** A signed move of `amount` base units from one account to another. */
export interface Transfer {
  readonly type: 'transfer';
  readonly chainId: number;
  /** Ed25519 public key of the sender: the account debited and the key that signs. */
  readonly from: Uint8Array;
  /** Ed25519 public key of the recipient. */
  readonly to: Uint8Array;
  readonly amount: bigint;
  readonly fee: bigint;
  /** The sender's transaction count before this one: 0, 1, 2, … (stops replays). */
  readonly nonce: bigint;
  readonly signature: Uint8Array;
}

/** The block reward: new money plus the block's fees, paid to the miner. First in every block. */
export interface Coinbase {
  readonly type: 'coinbase';
  readonly chainId: number;
  /** The height of the block it belongs to, so that no two coinbases share an id (as BIP-34). */
  readonly height: number;
  readonly to: Uint8Array;
  readonly amount: bigint;
}

export type Tx = Transfer | Coinbase;

export type UnsignedTransfer = Omit<Transfer, 'signature'>;

export interface BlockHeader {
  readonly version: number;
  readonly height: number;
  readonly prevHash: Uint8Array;
  readonly merkleRoot: Uint8Array;
  readonly timestampMs: number;
  /** The target in compact form (see pow.ts). */
  readonly bits: number;
  readonly nonce: bigint;
}

export interface Block {
  readonly header: BlockHeader;
  readonly txs: readonly Tx[];
}
