/**
 * Block templates: which pending transfers a miner puts in its next block, and the block itself.
 * Highest fee first, each sender's transfers in nonce order (a sender's later transfer cannot go
 * before its earlier one however much it pays), each checked against the state the previous
 * ones leave, until the block is full.
 */
import { applyTransfer, StateChanges } from './applyBlock.js';
import { compareBytes, toHex } from './bytes.js';
import { HEADER_SIZE } from './encoding/header.js';
import { COINBASE_SIZE, hashTx, TRANSFER_SIZE } from './encoding/tx.js';
import { varintSize } from './encoding/writer.js';
import { BLOCK_VERSION } from './genesis.js';
import { Heap } from './heap.js';
import { merkleRoot } from './merkle.js';
import { blockSubsidy, type NetworkParams } from './params.js';
import type { AccountReader } from './state.js';
import type { Block, Coinbase, Transfer } from './types.js';

export interface Selection {
  readonly txs: readonly Transfer[];
  readonly fees: bigint;
}

/** The most transfers that fit a block beside its header and coinbase. */
export function maxTransfersPerBlock(maxBlockBytes: number): number {
  let n = Math.max(
    0,
    Math.floor((maxBlockBytes - HEADER_SIZE - COINBASE_SIZE - 1) / TRANSFER_SIZE),
  );
  while (
    n > 0 &&
    HEADER_SIZE + varintSize(n + 1) + COINBASE_SIZE + n * TRANSFER_SIZE > maxBlockBytes
  )
    n--;
  return n;
}

/** A sender's next transfer: `queue[index]`, with its id for tie-breaks. */
interface Offer {
  readonly queue: readonly Transfer[];
  readonly index: number;
  readonly tx: Transfer;
  readonly id: Uint8Array;
}

function offerAt(queue: readonly Transfer[], index: number): Offer | undefined {
  const tx = queue[index];
  return tx && { queue, index, tx, id: hashTx(tx) };
}

/** Higher fee first; on equal fees, the lower transaction id, so every node picks alike. */
function better(a: Offer, b: Offer): boolean {
  if (a.tx.fee !== b.tx.fee) return a.tx.fee > b.tx.fee;
  return compareBytes(a.id, b.id) < 0;
}

export function selectTransactions(
  pending: Iterable<Transfer>,
  state: AccountReader,
  params: NetworkParams,
  height: number,
  maxCount = maxTransfersPerBlock(params.maxBlockBytes),
): Selection {
  const bySender = new Map<string, Transfer[]>();
  for (const tx of pending) {
    const key = toHex(tx.from);
    const queue = bySender.get(key);
    if (queue) queue.push(tx);
    else bySender.set(key, [tx]);
  }
  // Each sender offers only its next transfer; the best offer is taken, then its successor offered.
  const offers = new Heap<Offer>(better);
  for (const queue of bySender.values()) {
    queue.sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0));
    offers.push(offerAt(queue, 0)!);
  }
  const changes = new StateChanges(state);
  const txs: Transfer[] = [];
  let fees = 0n;
  for (let offer = offers.pop(); offer && txs.length < maxCount; offer = offers.pop()) {
    const applied = applyTransfer(changes, offer.tx, height);
    if (applied.ok) {
      txs.push(offer.tx);
      fees += offer.tx.fee;
    } else if (applied.code !== 'TX_NONCE_TOO_LOW') {
      continue; // a nonce gap or no money: nothing later from this sender can go in
    } // NONCE_TOO_LOW: already confirmed; skip it and offer the sender's next one.
    const next = offerAt(offer.queue, offer.index + 1);
    if (next) offers.push(next);
  }
  return { txs, fees };
}

export interface TemplateInput {
  readonly params: NetworkParams;
  readonly parentHash: Uint8Array;
  readonly height: number;
  readonly bits: number;
  readonly timestampMs: number;
  /** Public key the coinbase pays. */
  readonly minerKey: Uint8Array;
  readonly selection: Selection;
}

/** An unmined block (nonce 0) whose coinbase claims the full subsidy plus fees. */
export function buildBlockTemplate(input: TemplateInput): Block {
  const coinbase: Coinbase = {
    type: 'coinbase',
    chainId: input.params.chainId,
    height: input.height,
    to: input.minerKey,
    amount: blockSubsidy(input.params, input.height) + input.selection.fees,
  };
  const txs = [coinbase, ...input.selection.txs];
  return {
    header: {
      version: BLOCK_VERSION,
      height: input.height,
      prevHash: input.parentHash,
      merkleRoot: merkleRoot(txs.map(hashTx)),
      timestampMs: input.timestampMs,
      bits: input.bits,
      nonce: 0n,
    },
    txs,
  };
}
