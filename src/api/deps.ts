import type { EventEmitter } from 'node:events';
import type { Chain } from '../chain/chain.js';
import type { NetworkParams } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { MinerService } from '../node/minerService.js';
import type { NodeKey } from '../node/nodeKey.js';
import type { Network } from '../p2p/network.js';
import type { BlockViews } from './blockViews.js';

/** A named event for the live stream (/api/events). */
export interface NodeEvent {
  readonly type: 'block' | 'reorg' | 'tx' | 'miner';
  readonly data: unknown;
}

/** What the routes need from the node (wired in src/node/createNode.ts). */
export interface ApiDeps {
  readonly params: NetworkParams;
  readonly chain: Chain;
  /** Blocks' JSON views, built once (blockViews.ts). */
  readonly views: BlockViews;
  readonly mempool: Mempool;
  readonly miner: MinerService;
  readonly nodeKey: NodeKey;
  readonly apiToken: string;
  readonly version: string;
  readonly events: EventEmitter<{ event: [NodeEvent] }>;
  readonly network: Network;
  readonly now: () => number;
}
