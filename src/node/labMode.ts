/**
 * Lab mode (`blockyard node --lab`, started by `blockyard lab`): the controls behind the lab's
 * routes. A hash-rate cap on the miner's search, links that can be cut or delayed, and a
 * withholding miner for the attacker. Consensus is untouched: a capped node does real proof of
 * work, slower; a cut link only stops messages; withheld blocks are ordinary blocks once released.
 */
import type { EventEmitter } from 'node:events';
import type { LabPort, NodeEvent } from '../api/deps.js';
import type { Chain } from '../chain/chain.js';
import { type Block, checkTx, fail, ok, type Transfer, txIdHex } from '../core/index.js';
import type { CappedNonceSearch } from '../miner/cappedNonceSearch.js';
import type { MinerService } from '../miner/index.js';
import { WithholdingMiner } from '../miner/withholdingMiner.js';
import type { Links } from '../p2p/links.js';
import { peerUrlOf } from '../p2p/peerClient.js';

export interface LabParts {
  readonly chain: Chain;
  readonly miner: MinerService;
  readonly search: CappedNonceSearch;
  readonly links: Links;
  readonly rewardKey: Uint8Array;
  readonly nodeAddress: string;
  readonly now: () => number;
  readonly events: EventEmitter<{ event: [NodeEvent] }>;
  /** Announces a block that is not the tip (a released block that ties the public one). */
  readonly announceSide: (block: Block) => void;
}

export interface LabMode extends LabPort {
  close(): Promise<void>;
}

export function createLabMode(parts: LabParts): LabMode {
  const { chain, miner, search, links, events } = parts;
  const withholder = new WithholdingMiner(
    chain,
    search,
    parts.rewardKey,
    parts.now,
    parts.announceSide,
  );
  // The release policy looks again whenever this node's tip changes (a public block arrived).
  events.on('event', (event) => {
    if (event.type === 'block' || event.type === 'reorg') void withholder.react();
  });
  withholder.on('withheld', ({ block, hashHex }) =>
    events.emit('event', {
      type: 'lab',
      data: {
        action: 'withheld',
        hash: hashHex,
        height: block.header.height,
        prev_hash: Buffer.from(block.header.prevHash).toString('hex'),
        txs: block.txs.length - 1,
      },
    }),
  );
  withholder.on('released', (released) =>
    events.emit('event', { type: 'lab', data: { action: 'released', blocks: released } }),
  );
  /** Whether the node mines: publicly, or privately while withholding. */
  let mining = miner.status().running;

  const status: LabPort['status'] = () => {
    const w = withholder.status();
    return {
      node_address: parts.nodeAddress,
      hash_rate_cap: search.cap,
      hash_rate: Math.round(search.hashRate()),
      mining,
      links: links.list().map((l) => ({ peer: l.peer, cut: l.cut, delay_ms: l.delayMs })),
      withholding: {
        on: w.on,
        base_height: w.baseHeight,
        base_hash: w.baseHash,
        blocks: [...w.blocks],
        pending_txs: [...w.pendingTxs],
        release: w.release,
      },
    };
  };

  const applyMining = async () => {
    if (withholder.withholding) {
      await miner.stop();
      await withholder.setMining(mining);
    } else if (mining) miner.start();
    else await miner.stop();
  };

  return {
    status,
    async setMiner(change) {
      if (change.hashRate !== undefined) search.setCap(change.hashRate);
      if (change.mining !== undefined) mining = change.mining;
      await applyMining();
    },
    setLinks(peers, change) {
      for (const peer of peers) {
        const set = links.set(peer, change);
        if (!set.ok) return set;
      }
      return ok(undefined);
    },
    async withhold(on) {
      if (on) {
        await miner.stop();
        await withholder.begin();
        await withholder.setMining(mining);
      } else {
        await withholder.end();
        await applyMining();
      }
      events.emit('event', { type: 'lab', data: { action: on ? 'withhold' : 'withhold_off' } });
    },
    async release(count, when = 'now') {
      if (!withholder.withholding)
        return fail('LAB_NOT_WITHHOLDING', 'this node is not withholding blocks');
      if (when === 'now') return ok(await withholder.release(count));
      return ok(await withholder.setPolicy(when));
    },
    addPrivate(tx) {
      if (!withholder.withholding)
        return fail('LAB_NOT_WITHHOLDING', 'this node is not withholding blocks');
      const checked = checkTx(tx, chain.params);
      if (!checked.ok) return checked;
      withholder.addPrivate(tx as Transfer);
      return ok(txIdHex(tx));
    },
    isCutFrom(remoteAddress, port) {
      const n = Number(port);
      if (!Number.isInteger(n) || n <= 0 || n > 65_535) return false;
      const url = peerUrlOf(remoteAddress, n);
      return url !== undefined && links.isCut(url);
    },
    async close() {
      await withholder.end();
    },
  };
}
