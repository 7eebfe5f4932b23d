/**
 * Re-mining in the browser: the core's reference nonce search (plain SHA-256d, one try at a
 * time), run in short slices so the page stays responsive, with a cap and a cancel. The node
 * mines far faster with its worker-thread kernels; this is for the lesson, on easy targets.
 */
import { solveBlock } from '../../../../src/core/mine.js';
import { decodeBits, workFromTarget } from '../../../../src/core/pow.js';
import type { BlockHeader } from '../../../../src/core/types.js';

/** Tries per slice: PERF: a few milliseconds of noble SHA-256d between two yields. */
const SLICE_TRIES = 2_000;
/** The search gives up after this many expected blocks' worth of tries (odds e^-20 of bad luck). */
const EXPECTED_BLOCKS = 20;
const MIN_TRIES = 10_000;
const MAX_TRIES = 2 ** 26;

/** The expected number of tries to meet `header`'s target. */
export function expectedTries(header: BlockHeader): bigint {
  return workFromTarget(decodeBits(header.bits).target);
}

/** How many nonces mining `header` tries before giving up. */
export function maxTriesFor(header: BlockHeader): number {
  const tries = expectedTries(header) * BigInt(EXPECTED_BLOCKS);
  return Math.min(MAX_TRIES, Math.max(MIN_TRIES, Number(tries)));
}

export type MineOutcome =
  | { status: 'found'; nonce: bigint; tries: number }
  | { status: 'gave-up'; tries: number }
  | { status: 'cancelled'; tries: number };

export interface MineOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (tries: number) => void;
  readonly maxTries?: number;
  /** Lets the page paint between slices; tests pass one that returns at once. */
  readonly pause?: () => Promise<void>;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Searches nonces from 0 for one whose header hash meets the header's own target. */
export async function mineNonce(
  header: BlockHeader,
  options: MineOptions = {},
): Promise<MineOutcome> {
  const maxTries = Math.max(options.maxTries ?? maxTriesFor(header), 1);
  const pause = options.pause ?? nextTask;
  let tries = 0;
  while (tries < maxTries) {
    if (options.signal?.aborted) return { status: 'cancelled', tries };
    const slice = Math.min(SLICE_TRIES, maxTries - tries);
    const solved = solveBlock({ header, txs: [] }, slice, BigInt(tries));
    if (solved) {
      const nonce = solved.header.nonce;
      return { status: 'found', nonce, tries: Number(nonce) + 1 };
    }
    tries += slice;
    options.onProgress?.(tries);
    await pause();
  }
  return { status: 'gave-up', tries };
}
