/**
 * How big a sync's batches are (fetchBodies.ts): the slow start, the first request's max_bytes,
 * how many batches are asked for at once, and a batch's size by the blocks that came before it.
 */
import { BLOCK_HEX_CHARS, MAX_BLOCKS_PER_REQUEST } from './messages.js';

/**
 * The sizes of the first batches asked for, before MAX_BLOCKS_PER_REQUEST each. PERF: a batch of
 * 16 full blocks takes 1.7 s to come (measured, bench/p2p.ts); a small first one gets work going.
 */
export const FIRST_BATCHES = [1, 2, 4, 8];

/**
 * How many batches are asked for at once: two (the one being added and the next), as big blocks
 * need; once an answer shows small blocks (under SMALL_BLOCK_HEX_CHARS of hex each), as many as
 * hold MAX_SMALL_BLOCKS_IN_FLIGHT blocks. PERF: a 20-block branch of small blocks took 5 round
 * trips one after the other (bench/adopt.ts), now 2. NOTE: big blocks asked for all at once
 * would make the peer encode them all before the first answer, past its first-byte deadline
 * (batchDeadlines) on a busy machine.
 */
export const BATCHES_IN_FLIGHT = 2;
// NOTE (measured, not changed): neither one batch in flight nor batches of one full block
// (BATCH_HEX_CHARS 2,000,000) lowered a fresh node's peak syncing 30 full blocks: 176, 176 MB
// against 176 (bench/lib/syncMemoryAlternate.ts, one build with both settings from the
// environment, load 10-14). The peak comes when a full collection's garbage, the block ahead's
// checks and an answer's socket chunks meet, not from the blocks' bytes held in flight (≈ 1 MB a
// full block since blocksAnswer.ts).
export const SMALL_BLOCK_HEX_CHARS = 64 * 1024;
export const MAX_SMALL_BLOCKS_IN_FLIGHT = 2 * MAX_BLOCKS_PER_REQUEST;

/**
 * The hex a batch asks for, by the biggest block of the answer before it: each answer is held
 * whole until its blocks are decoded (its blocks' bytes, since blocksAnswer.ts; its text, then
 * its strings, before), BATCHES_IN_FLIGHT of them.
 * PERF: batches of 16 full blocks were 32 MB of hex each. With a full collection every
 * COLLECT_EVERY_BYTES of blocks (collectGarbage.ts), a fresh node syncing 32 full blocks from one
 * peer peaks at 281–286 MB resident instead of 476–735 (bench/lib/syncMemory.ts, alternated with
 * the code before, load 9–13). Smaller batches alone did not lower it (548, 476 MB): what a
 * sync leaves is garbage V8 had not collected. NOTE: those bench nodes verified on libuv's pool
 * (their signature workers did not start when compiled, fixed since); with the workers the peak
 * was 410–431 MB, 354–376 MB with WORKER_LIMITS (signatureWorkers.ts).
 */
const BATCH_HEX_CHARS = 4_000_000;

/** `max_bytes` of each batch's requests to a peer that takes it: BATCH_HEX_CHARS of hex at most. */
export const BATCH_REQUEST_BYTES = BATCH_HEX_CHARS / 2;

/**
 * The most blocks a request asks of a peer that does not take `max_bytes` (before 0.2.0): as many
 * of the largest blocks as BATCH_HEX_CHARS holds (2). NOTE: its answers cannot be capped, and a
 * request is sized by the answers before it: where a branch turned from small blocks to full
 * ones, one answer held 4 full blocks (3.8 MB of blocks, 7.5 MB of hex), and after more small
 * blocks up to 16 (test/unit/p2p/cappedBatches.test.ts). Small blocks from such a peer still
 * come many at once: more requests are in flight (MAX_SMALL_BLOCKS_IN_FLIGHT).
 */
export const UNCAPPED_BATCH_MOST = Math.max(1, Math.floor(BATCH_HEX_CHARS / BLOCK_HEX_CHARS));

/**
 * The blocks the next batch asks for: `ramped` (the slow start's, or MAX_BLOCKS_PER_REQUEST), fewer
 * if blocks as big as the last answer's biggest (`lastHex` characters of hex; 0: no answer yet)
 * would pass BATCH_HEX_CHARS; at least one.
 */
export function batchSize(ramped: number, lastHex: number): number {
  if (lastHex === 0) return ramped;
  return Math.max(1, Math.min(ramped, Math.floor(BATCH_HEX_CHARS / lastHex)));
}

/**
 * `max_bytes` of the first request to a peer that takes it: up to 64 blocks of 8 KB come in one
 * answer; a full block (1 MB) comes alone, as the slow start's first batch of 1.
 */
export const FIRST_REQUEST_BYTES = 512 * 1024;

/** The characters of hex the biggest of `blocks` came as (0: none). */
export const hexOfBiggest = (blocks: readonly Uint8Array[]): number =>
  2 * blocks.reduce((most, block) => Math.max(most, block.length), 0);
