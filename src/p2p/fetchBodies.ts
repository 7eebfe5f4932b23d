/**
 * A sync's block download (sync.ts, step 4): the bodies of a checked branch, from one peer, in
 * batches, added in order, the signatures of the next few checked on other cores meanwhile.
 *
 * The first request depends on what the peer understands (capabilities.ts): a peer since 0.2.0
 * is asked for up to 64 blocks with `max_bytes` and answers those that fit, so a short branch of
 * small blocks comes in one request and a branch of full blocks still starts with one block; an
 * older peer gets 1 block, then UNCAPPED_BATCH_MOST (2) a request, since its answers cannot be
 * capped (small blocks: as many requests at once as hold MAX_SMALL_BLOCKS_IN_FLIGHT blocks).
 */
import { fail, ok, type Result } from '../core/index.js';
import {
  BATCH_REQUEST_BYTES,
  BATCHES_IN_FLIGHT,
  batchSize,
  FIRST_BATCHES,
  FIRST_REQUEST_BYTES,
  hexOfBiggest,
  MAX_SMALL_BLOCKS_IN_FLIGHT,
  SMALL_BLOCK_HEX_CHARS,
  UNCAPPED_BATCH_MOST,
} from './batchSizes.js';
import { takesCappedBlocks } from './capabilities.js';
import { blockAdded, downloadEnded } from './collectGarbage.js';
import {
  type BodiesContext,
  type Decoded,
  decodeExpected,
  fetchBatch,
  fetchWholeBatch,
  type PendingHeader,
} from './fetchBatch.js';
import { MAX_BLOCKS_PER_CAPPED_REQUEST, MAX_BLOCKS_PER_REQUEST } from './messages.js';

/**
 * Blocks decoded, and their signature checks started (chain.verifyAhead), ahead of the one being
 * added. PERF: the checks run on other cores while this thread connects the block before (state,
 * SQLite), and no more than VERIFY_AHEAD_BLOCKS + 1 decoded blocks are held at once: each full
 * block ahead holds ≈ 5 MB of heap (its transfers as objects, ids, their hex) and a shared copy
 * of its bytes for the workers. 2, not 4: a fresh node syncing 32 full blocks
 * (bench/lib/syncMemory.ts, side by side with 4, two runs, load 8–15): peak RSS 298 → 283 and
 * 253 → 238 MB, sync 1,492 → 1,481 and 1,135 → 1,229 transfers/s, CPU a transfer 163 → 164 and
 * 159 → 159 µs. 1, not 2: a full block's checks (≈ 0.5 s on one worker, shared by both) still
 * outlast this thread's connect of the one before (≈ 0.15 s), and the workers claim the block
 * ahead's parts as they free up; the same sync, 2 and 1 alternated twice
 * (bench/lib/syncMemoryAlternate.ts, load 10–15): peak 198, 196 → 189, 191 MB; 2,023, 1,333 →
 * 2,481, 2,541 transfers/s; CPU a transfer 171, 183 → 169, 186 µs.
 */
export const VERIFY_AHEAD_BLOCKS = 1;
// NOTE (measured, not built): a sync's first full blocks cost more than the others (bench p2p,
// quiet: 74 % of the verify rate in all, 83 % after the 1st full block). Compiled, blocks 1-3 of
// that chain cost this thread ≈ 285 ms and V8's own threads ≈ 200 ms of CPU more than as many
// steady blocks (bench/lib/syncTimeline.ts, load 14): code run cold (the hex reader, the
// signature bookkeeping, the account filter's first 2,000 keys) and the workers' start (≈ 0.1 s
// of CPU each; ≈ 0.5 s each under tsx, as bench p2p ran its node until 2026-12-07). Branch w-sync-send: a turn of
// the event loop after asking for a batch, so that its request leaves before the connect holds
// the loop: written 0.6-1.2 s sooner at load 21-25, but the first full block's tip no sooner
// within that load's noise (the answer is read by this same thread once the connect waits).

/** Fetches and adds the bodies of `branch` in order; the number of blocks added. */
export async function fetchBodies(
  ctx: BodiesContext,
  url: string,
  branch: readonly PendingHeader[],
): Promise<Result<number>> {
  const { chain } = ctx;
  // NOTE: requests still on their way when the download ends (a batch failed, or the sync was
  // stopped) are cancelled: they went on, asked again up to their limits (fetchBatch.ts), beside
  // the next sync from the same peer (test/unit/p2p/downloadEnds.test.ts).
  const ending = new AbortController();
  const endWithSync = () => ending.abort();
  const asking: BodiesContext = { ...ctx, signal: ending.signal };
  // From a peer since 0.2.0, the first request asks for up to 64 blocks, and the answer holds
  // those that fit in FIRST_REQUEST_BYTES. PERF: a 20-block branch of small blocks came in 5
  // requests over 2 round trips one after the other (bench/adopt.ts); now 1. bench adopt, this
  // form against the older one, alternating (load 4.9–5.9): register + resolve on a running
  // node 38.9, 50.6 ms against 45.5, 50.8; 20-block gossip 37.4, 29.1 ms against 64.3, 46.0.
  let first: { asked: readonly PendingHeader[]; answer: Result<Uint8Array[]> } | undefined;
  const capped = takesCappedBlocks(ctx.peerVersion);
  if (capped) {
    const asked = branch.slice(0, MAX_BLOCKS_PER_CAPPED_REQUEST);
    first = { asked, answer: await fetchBatch(ctx, url, asked, FIRST_REQUEST_BYTES) };
    if (!first.answer.ok) return downloadFailed(ctx, first.answer);
  }
  const firstBlocks = first?.answer.ok ? first.answer.value : [];
  // After a first answer that held every block asked for, the blocks are small: 16 a request.
  // After one that held fewer, the slow start goes on (2, 4, 8); without one, it starts at 1.
  const whole = first !== undefined && firstBlocks.length === first.asked.length;
  const ramp = whole ? [] : FIRST_BATCHES.slice(first ? 1 : 0);
  const batches: PendingHeader[][] = [];
  /** Where each block of the branch planned so far is: its batch, and its place in the batch. */
  const where: { batch: number; at: number }[] = [];
  /** The biggest block's hex in the last answer that came (0: none yet). */
  let lastHex = hexOfBiggest(firstBlocks);
  /** Plans the next batch, as it is asked for: its size by the ramp and the last answer's blocks. */
  const plan = (size: number): void => {
    const b = batches.length;
    const batch = branch.slice(where.length, where.length + size);
    batches.push(batch);
    for (const at of batch.keys()) where.push({ batch: b, at });
  };
  /** Takes back the last batch planned, not asked for: it is planned again when there is room. */
  const unplan = (): void => {
    where.length -= batches.pop()!.length;
  };
  if (first) plan(firstBlocks.length);
  const nextSize = (): number => {
    const size = batchSize(
      ramp[batches.length - (first ? 1 : 0)] ?? MAX_BLOCKS_PER_REQUEST,
      lastHex,
    );
    return capped ? size : Math.min(size, UNCAPPED_BATCH_MOST);
  };
  // Batches are asked for while fewer than BATCHES_IN_FLIGHT are on their way or waiting to be
  // decoded, or, once the blocks are known to be small, while their blocks fit in
  // MAX_SMALL_BLOCKS_IN_FLIGHT; each is dropped once decoded.
  const requests = new Map<number, Promise<void>>();
  const answers = new Map<number, Result<Uint8Array[]>>();
  let requested = 0;
  let requestedBlocks = 0;
  let finishedBatches = 0;
  let smallBlocks = whole && hexOfBiggest(firstBlocks) < SMALL_BLOCK_HEX_CHARS;
  if (first) {
    answers.set(0, ok(firstBlocks));
    requests.set(0, Promise.resolve());
    requested = 1;
    requestedBlocks = firstBlocks.length;
  }
  const requestMore = () => {
    for (;;) {
      if (requested === batches.length) {
        if (where.length === branch.length) return;
        plan(nextSize());
      }
      const size = batches[requested]!.length;
      const waiting = requestedBlocks - decoded;
      const room = smallBlocks
        ? waiting + size <= MAX_SMALL_BLOCKS_IN_FLIGHT
        : requested - finishedBatches < BATCHES_IN_FLIGHT;
      if (waiting > 0 && !room) {
        // NOTE: a batch is sized when it is asked for, by the answers that came by then. Sized
        // when the one before it was asked for, it took the small blocks' size where the branch
        // turns to full blocks: a sync of full blocks asked for 4 blocks (8 MB of hex), then 4
        // again, where 2 were meant (test/integration/p2p/fullBlockSyncHostile.test.ts).
        unplan();
        return;
      }
      const b = requested++;
      requestedBlocks += size;
      requests.set(
        b,
        fetchWholeBatch(asking, url, batches[b]!, capped ? BATCH_REQUEST_BYTES : undefined).then(
          (answer) => {
            answers.set(b, answer);
            smallBlocks = answer.ok && hexOfBiggest(answer.value) < SMALL_BLOCK_HEX_CHARS;
            if (answer.ok) lastHex = hexOfBiggest(answer.value);
            decodeAhead();
          },
        ),
      );
    }
  };
  /** Block i of the branch, decoded and checked, or why not; undefined if its batch is not here. */
  const decodeAt = (i: number): Result<Decoded> | undefined => {
    if (i >= where.length) return undefined; // its batch is not asked for yet
    const { batch, at } = where[i]!;
    const answer = answers.get(batch);
    if (!answer?.ok) return answer;
    if (at === batches[batch]!.length - 1) {
      answers.delete(batch);
      requests.delete(batch);
      finishedBatches++;
    }
    return decodeExpected(answer.value[at]!, branch[i]!.hashHex, at);
  };
  const ahead: Result<Decoded>[] = [];
  let decoded = 0;
  let failed = false;
  let added = 0;
  /** The block being added (or next to be), while addInOrder runs; -1 once it has returned. */
  let adding = 0;
  /**
   * The block being added and the next few, as far as their batches have come, in order; a
   * failure is reported when its turn comes, after the blocks before it are added, and nothing
   * after it is decoded. Run before each block is added and whenever an answer comes.
   * PERF: as an answer comes, not only before the next block is added: a chain turning full
   * had its first full blocks' answer wait, undecoded and unchecked, while this thread connected
   * the block before (bench p2p's block 2, paying 2,000 new senders), the workers idle. A
   * timeline of that sync (bench/lib/p2pNode.ts BENCH_TIMELINE=1, load 13-17): block 2's add
   * 187-1,418 and 264-4,339 ms, the first full block's check started after it, at 1,425 and
   * 4,344 ms; now during it, at 1,014 (its add 219-1,711) and 1,556 ms (154-3,184). A whole
   * sync of 8 full blocks (bench/lib/syncMemory.ts 8, 5 pairs alternated with the code before,
   * load 10-18) could not tell the two apart: 1,680-3,232 (median 2,190) against 1,981-2,243
   * (2,100) transfers/s, CPU a transfer median 164 against 163 µs; quiet, the gain is at most
   * block 2's connect (≈ 0.2 s) once a sync.
   */
  function decodeAhead(): void {
    while (
      adding >= 0 &&
      !failed &&
      !ctx.signal?.aborted &&
      decoded <= adding + VERIFY_AHEAD_BLOCKS &&
      decoded < branch.length
    ) {
      const block = decodeAt(decoded);
      if (!block) break;
      ahead.push(block);
      decoded++;
      if (block.ok) chain.verifyAhead(block.value.block, block.value.bytes, block.value.hash);
      else failed = true;
    }
  }
  ctx.signal?.addEventListener('abort', endWithSync, { once: true });
  if (ctx.signal?.aborted) ending.abort();
  try {
    return await addInOrder();
  } finally {
    adding = -1; // answers still on their way are not decoded nor checked
    ctx.signal?.removeEventListener('abort', endWithSync);
    ending.abort();
    chain.commitHeld();
    downloadEnded();
  }

  async function addInOrder(): Promise<Result<number>> {
    let held = 0;
    for (let i = 0; i < branch.length; i++) {
      adding = i;
      // Every block before i is decoded, so block i's batch is asked for by now.
      requestMore();
      await requests.get(where[i]!.batch);
      decodeAhead();
      if (!failed) requestMore();
      const block = ahead.shift()!;
      if (!block.ok) return downloadFailed(ctx, block);
      if (ctx.signal?.aborted) return fail('P2P_TIMEOUT', 'the sync was stopped');
      const { block: body, bytes, hash } = block.value;
      // PERF: stored as received (no encodeBlock again), and held (Chain.commitHeld): a sync's
      // blocks were stored and connected in two SQL commits each; now one commit per batch
      // that came, or sooner. A crash before the commit leaves the chain as after the last
      // one (test/integration/p2p/killMidSync.test.ts); the peer still has the rest. Adding
      // 200 small blocks: 0.87 → 0.38 ms each (load 17); register + resolve onto 20 blocks, a
      // running node, before/after alternating twice (load 4–5): 60.1, 56.5 → 51.9, 53.1 ms.
      const outcome = await chain.addBlock(body, { bytes, hash, held: true });
      if (!outcome.ok) return outcome;
      added++;
      blockAdded(bytes.length);
      // The blocks held are committed before the sync waits for more, or once a batch's worth.
      if (
        ++held >= MAX_BLOCKS_PER_REQUEST ||
        (ahead.length === 0 && !answers.has(where[i + 1]?.batch ?? -1))
      ) {
        chain.commitHeld();
        held = 0;
      }
      ctx.onProgress?.({
        peer: url,
        height: chain.tip.header.height,
        targetHeight: branch[branch.length - 1]!.header.height,
      });
    }
    return ok(added);
  }
}

/** A download that failed: a peer that did not deliver has the others asked (syncDriver.ts). */
function downloadFailed<T>(ctx: BodiesContext, failure: Result<T> & { ok: false }): Result<number> {
  if (
    failure.code === 'P2P_TIMEOUT' ||
    failure.code === 'P2P_UNREACHABLE' ||
    failure.code === 'P2P_TOO_SLOW'
  )
    ctx.onDownloadFailed?.();
  return failure;
}
