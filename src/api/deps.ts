import type { EventEmitter } from 'node:events';
import type { Static } from '@sinclair/typebox';
import type { Chain } from '../chain/chain.js';
import type { NetworkParams, Result, Tx } from '../core/index.js';
import type { Mempool, MempoolEntry } from '../mempool/mempool.js';
import type { ReorgLog } from '../mempool/reorgLog.js';
import type { MinerService } from '../miner/minerService.js';
import type { Network } from '../p2p/network.js';
import type { BlockViews } from './blockViews.js';
import type { LabStatus } from './labContract.js';

/** The node's own wallet (src/node/nodeWallet.ts): its address, and transfers it signs. */
export interface NodeWallet {
  readonly address: string;
  /** Signs a transfer from the node's address with the next nonce, and offers it to the mempool. */
  send(to: Uint8Array, amount: bigint, feeUnits?: bigint): Promise<Result<MempoolEntry>>;
}

/** This node's own mining (issue 15, point 2): a search in progress; `mined` is shared with the lab. */
export type NodeMiningEvent = 'mining' | 'mined';

/**
 * Events the lab's timeline needs: `mined` (this node found a block), `tx_refused` (a transfer
 * it was offered and refused, with the code), `lab` (a lab node withheld or released blocks).
 */
export type NodeEventLab = 'mined' | 'tx_refused' | 'lab';

/** A named event for the live stream (/api/events). */
export interface NodeEvent {
  readonly type: 'block' | 'reorg' | 'tx' | 'miner' | NodeMiningEvent | NodeEventLab;
  readonly data: unknown;
}

/** What the routes need from the node (wired in src/node/createNode.ts). */
export interface ApiDeps {
  readonly params: NetworkParams;
  readonly chain: Chain;
  /** Blocks' JSON views, built once (blockViews.ts). */
  readonly views: BlockViews;
  readonly mempool: Mempool;
  /** What each reorganisation did (GET /api/reorgs, stale blocks, a transaction's life). */
  readonly reorgs: ReorgLog;
  readonly miner: MinerService;
  readonly nodeWallet: NodeWallet;
  readonly apiToken: string;
  readonly version: string;
  readonly events: EventEmitter<{ event: [NodeEvent] }>;
  readonly network: Network;
  readonly now: () => number;
  /** The class faucet, if the node was started with --faucet. */
  readonly faucet?: FaucetPort | undefined;
  /** How other machines join (known once the node listens). */
  readonly join: () => JoinInfo;
  /** The lab's controls, on nodes started with --lab only (src/node/labMode.ts). */
  readonly lab?: LabPort | undefined;
}

/** The lab's controls as its routes use them (src/api/routes/lab.ts, built by src/node/labMode.ts). */
export interface LabPort {
  status(): Static<typeof LabStatus>;
  setMiner(change: {
    hashRate?: number | null | undefined;
    mining?: boolean | undefined;
  }): Promise<void>;
  setLinks(
    peers: readonly string[],
    change: { cut?: boolean | undefined; delayMs?: number | undefined },
  ): Result<unknown>;
  withhold(on: boolean): Promise<void>;
  /** Releases `count` private blocks now, or from now on when ahead / by the selfish rules. */
  release(
    count: number | undefined,
    when?: 'now' | 'ahead' | 'selfish',
  ): Promise<Result<{ hash: string; height: number; status: string }[]>>;
  addPrivate(tx: Tx): Result<string>;
  /** Whether a caller's link is cut (the caller's listening port, from the peer header). */
  isCutFrom(remoteAddress: string | undefined, port: string | undefined): boolean;
}

/** The class faucet as the routes use it (built by src/node/faucet.ts; api does not import node). */
export interface FaucetPort {
  status(): { readonly enabled: boolean; readonly amountUnits: bigint; readonly windowMs: number };
  setEnabled(enabled: boolean): void;
  pay(address: string, client: string): Promise<Result<{ idHex: string; amountUnits: bigint }>>;
}

/** How other machines reach this node (made by src/node/joinInfo.ts). */
export interface JoinInfo {
  /** The address the node listens on, as given to --host. */
  readonly host: string;
  readonly port: number;
  /** http://address:port for each address other machines can use; empty on loopback only. */
  readonly urls: readonly string[];
  /** What a student types to join with a node of their own (undefined if nobody can join). */
  readonly command: string | undefined;
  /** Why nobody can join, when they cannot. */
  readonly problem: string | undefined;
}
