/**
 * Network parameters. Every node of a network must use the same ones: they decide which blocks
 * are valid. Three networks ship, `tutorial`, `devnet` and `lab` (`blockyard lab`); tests build
 * easier ones with `customParams` (as Bitcoin's regtest).
 */
import { COIN } from './money.js';

export interface RetargetParams {
  /** Blocks between target changes. */
  readonly intervalBlocks: number;
  /** The block time the target steers toward. */
  readonly targetBlockTimeMs: number;
}

export interface NetworkParams {
  readonly name: string;
  readonly chainId: number;
  /** bech32m human-readable part of addresses. */
  readonly addressPrefix: string;
  /** The easiest target allowed, in compact form. */
  readonly powLimitBits: number;
  /** The genesis block's target; also the fixed target when `retarget` is null. */
  readonly genesisBits: number;
  readonly genesisTimestampMs: number;
  readonly genesisNonce: bigint;
  /** null: the target never changes (the tutorial's fixed difficulty). */
  readonly retarget: RetargetParams | null;
  /** A coinbase of block h is spendable from block h + maturity on (0: from the next block). */
  readonly coinbaseMaturity: number;
  readonly initialSubsidy: bigint;
  /** Blocks between subsidy halvings; 0 = never. */
  readonly halvingIntervalBlocks: number;
  readonly maxBlockBytes: number;
  /** How far past the validating node's clock a timestamp may be. */
  readonly maxFutureDriftMs: number;
  /** How many previous blocks the median time past spans. */
  readonly medianTimeSpan: number;
}

// 2026-01-01T00:00:00Z
const GENESIS_TIME_2026_01_01 = 1_767_225_600_000;

const common = {
  initialSubsidy: 50n * COIN,
  halvingIntervalBlocks: 0,
  maxBlockBytes: 1_000_000,
  maxFutureDriftMs: 2 * 60 * 60 * 1000,
  medianTimeSpan: 11,
  genesisTimestampMs: GENESIS_TIME_2026_01_01,
} as const;

/** The tutorials' network: fixed difficulty of 16 leading zero bits (their "0000"). */
export const tutorialParams: NetworkParams = {
  ...common,
  name: 'tutorial',
  chainId: 1,
  addressPrefix: 'tut',
  powLimitBits: 0x1f00ffff,
  genesisBits: 0x1f00ffff,
  genesisNonce: 54_206n,
  retarget: null,
  coinbaseMaturity: 0,
};

/** A private network whose difficulty follows its miners toward a 5-second block. */
export const devnetParams: NetworkParams = {
  ...common,
  name: 'devnet',
  chainId: 2,
  addressPrefix: 'dev',
  powLimitBits: 0x1f00ffff,
  genesisBits: 0x1e00ffff,
  genesisNonce: 9_513_950n,
  retarget: { intervalBlocks: 20, targetBlockTimeMs: 5_000 },
  coinbaseMaturity: 10,
};

/**
 * The lab's network (`blockyard lab`): a fixed difficulty of about 2^14 hashes a block, so that
 * nodes capped at a few thousand hashes a second still find blocks by real proof of work, at
 * random times, about a second apart, and many attack trials fit in minutes.
 */
export const labParams: NetworkParams = {
  ...common,
  name: 'lab',
  chainId: 3,
  addressPrefix: 'lab',
  powLimitBits: 0x1f03ffff,
  genesisBits: 0x1f03ffff,
  genesisNonce: 13_956n,
  retarget: null,
  coinbaseMaturity: 0,
};

export const networks = { tutorial: tutorialParams, devnet: devnetParams, lab: labParams } as const;
export type NetworkName = keyof typeof networks;

export function customParams(
  base: NetworkParams,
  overrides: Partial<NetworkParams>,
): NetworkParams {
  return { ...base, ...overrides };
}

/** New money in the coinbase of the block at `height`. */
export function blockSubsidy(params: NetworkParams, height: number): bigint {
  if (params.halvingIntervalBlocks === 0) return params.initialSubsidy;
  const halvings = Math.floor(height / params.halvingIntervalBlocks);
  return halvings >= 64 ? 0n : params.initialSubsidy >> BigInt(halvings);
}
