/**
 * Direct fetch of an announced block, as Bitcoin Core's (BIP 130): a header announced by a peer
 * whose parent this node has, and which leads to more work than its tip, has its body asked for
 * at once (GET /api/p2p/blocks with its hash), with no headers page first. Anything else, and a
 * direct fetch that fails, goes the usual way: a sync, headers first, from the peer.
 *
 * A block announced by several peers at once is fetched from the first only; the others are
 * remembered, and synced from if that fetch fails. The block is added like a sync's (checked in
 * full by the chain); an invalid one scores the peer as a sync would.
 *
 * PERF: one round trip a hop instead of two (headers, then the block), and one download per
 * block instead of one sync per peer that announced it.
 */
import type { Chain } from '../chain/chain.js';
import { type BlockHeader, chainWorkAfter, toHex } from '../core/index.js';
import { BlocksAnswerReader } from './blocksAnswer.js';
import { batchDeadlines, decodeExpected } from './fetchBatch.js';
import type { Network } from './network.js';
import { callPeerReading } from './peerClient.js';

const BLOCK_MAX_BYTES = 2_100_000;

export class DirectFetch {
  /** Block hash → the other peers that announced it while it was being fetched. */
  private readonly inFlight = new Map<string, Set<string>>();

  constructor(private readonly network: Network) {}

  /** `url`, a known peer, announced `header` (checked without context), which we lack. */
  announced(url: string, header: BlockHeader, hashHex: string): void {
    const others = this.inFlight.get(hashHex);
    if (others) {
      others.add(url);
      return;
    }
    const chain: Chain = this.network.options.chain;
    const parent = chain.get(toHex(header.prevHash));
    if (
      !parent ||
      parent.invalid ||
      chainWorkAfter(parent.chainWork, header.bits) <= chain.tip.chainWork
    ) {
      void this.network.sync(url);
      return;
    }
    this.inFlight.set(hashHex, new Set());
    void this.fetch(url, hashHex).then((done) => {
      const waiting = this.inFlight.get(hashHex) ?? new Set<string>();
      this.inFlight.delete(hashHex);
      if (done || this.network.closed) return;
      for (const peer of [url, ...waiting]) void this.network.sync(peer);
    });
  }

  /**
   * Fetches and adds the block; whether that settled it (added, or found invalid and scored).
   * A failure to deliver it is left to the sync that follows, which scores what it must.
   */
  private async fetch(url: string, hashHex: string): Promise<boolean> {
    const { network } = this;
    const { chain, links } = network.options;
    const stallMs = network.stalls.of(url);
    const reader = new BlocksAnswerReader();
    const called = await callPeerReading(url, `/api/p2p/blocks?hashes=${hashHex}`, reader, {
      ...batchDeadlines(1, stallMs),
      stallMs,
      maxBytes: BLOCK_MAX_BYTES,
      signal: network.closingSignal,
      links,
    });
    const answer = called.ok ? reader.end() : called;
    if (!answer.ok || answer.value.length !== 1 || network.closed) return false;
    const decoded = decodeExpected(answer.value[0]!, hashHex, 0);
    if (!decoded.ok) return false;
    network.stalls.delivered(url);
    // Synced to disk after the new tip is announced (sqliteStore.ts deferDurability). PERF: its
    // bytes are stored as they came and its header is not hashed again (BlockOrigin).
    const { block, bytes, hash } = decoded.value;
    const added = await chain.deferDurability(() => chain.addBlock(block, { bytes, hash }));
    if (!added.ok) {
      network.recordFailure(url, added, !added.code.startsWith('P2P_'));
      return true;
    }
    // An orphan: its parent went (pruned) meanwhile; a sync finds where the peer's chain joins.
    return added.value.status !== 'orphan';
  }
}
