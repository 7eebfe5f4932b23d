/**
 * The WASM kernel: SHA-256d of a 92-byte block header for four nonces at once, one per lane of
 * 128-bit SIMD vectors. This is AssemblyScript (u32, v128, load/store are its builtins), compiled
 * by `npm run build:wasm` to kernels/wasm/build/sha256d.wasm; src/miner/kernels/wasmKernel.ts
 * drives it.
 *
 * Protocol with the host:
 *   1. write the header at headerPtr() (92 bytes) and the target at targetPtr() (32 bytes, BE);
 *   2. prepare(): hashes the first 64 bytes once (the midstate);
 *   3. search(hi, lo, count): tries nonces hi<<32 | lo … hi<<32 | (lo + count - 1) in order and
 *      returns the offset of the first whose hash <= target (its hash is at resultPtr()), or -1.
 *      The host keeps lo + count <= 2^32, and count < 2^31 (the lane counter steps by 4).
 *
 * PERF: ≈ 6.1–6.6 M nonces/s on one core here (a plain loop of rounds made ≈ 5.2 M). Per nonce,
 * block 2 of the header (bytes 64..91 + padding) and the second SHA-256 are compressed. Block 2's
 * words W0..W5 do not depend on the nonce's low word (W6), so its rounds 0..5 and schedule words
 * W16..W20 are done once per search() call; schedule terms made only of fixed words are summed
 * ahead (C2 per call, C3 once); rounds go eight at a time (sha256.ts).
 */

import {
  at,
  be32,
  IV,
  initConstants,
  put,
  rounds,
  ST,
  SW,
  scalarRounds,
  scalarSchedule,
  schedule,
  sigma0,
  sigma1,
} from './sha256';

const HEADER: usize = memory.data(96, 16);
const TARGET: usize = memory.data(32, 16);
const RESULT: usize = memory.data(32, 16);
/** Target as eight native u32 words, most significant first. */
const TARGET_WORDS: usize = memory.data(32, 16);
/** Midstate: the SHA-256 state after the header's first 64 bytes. */
const MID: usize = memory.data(32, 16);
/** Block 2's state after rounds 0..5, which the nonce's low word does not reach. */
const PRE: usize = memory.data(32, 16);
/** Vector message schedules, one v128 (four lanes) per word: block 2, and the second hash. */
const W2: usize = memory.data(64 * 16, 16);
const W3: usize = memory.data(64 * 16, 16);
/** Vector states (eight v128 each): splatted midstate, block 2 after round 5, IV. */
const MIDV: usize = memory.data(8 * 16, 16);
const PREV: usize = memory.data(8 * 16, 16);
const IVV: usize = memory.data(8 * 16, 16);
/** Per-search constant parts of block 2's schedule words W21..W35 (see scheduleNonce). */
const C2: usize = memory.data(64 * 16, 16);
/** Constant parts of the second hash's schedule words W16..W31 (see scheduleDigest). */
const C3: usize = memory.data(64 * 16, 16);

export function headerPtr(): usize {
  return HEADER;
}

export function targetPtr(): usize {
  return TARGET;
}

export function resultPtr(): usize {
  return RESULT;
}

/**
 * Block 2's schedule for this batch. Only W6 (the nonce's low word) differs between nonces, so
 * every term of W21..W35 that does not depend on it was summed into C2 by search().
 */
function scheduleNonce(): void {
  put(W2, 21, i32x4.add(at(C2, 21), sigma0(at(W2, 6))));
  put(W2, 22, i32x4.add(at(C2, 22), at(W2, 6)));
  for (let t = 23; t < 28; t++) put(W2, t, i32x4.add(at(C2, t), sigma1(at(W2, t - 2))));
  for (let t = 28; t < 36; t++) {
    put(W2, t, i32x4.add(i32x4.add(at(C2, t), sigma1(at(W2, t - 2))), at(W2, t - 7)));
  }
  schedule(W2, 36);
}

/**
 * The second hash's schedule. W8..W15 are padding, the same for every header, so the terms of
 * W16..W31 they make up were summed into C3 by prepare().
 */
function scheduleDigest(): void {
  for (let t = 16; t < 18; t++) {
    put(W3, t, i32x4.add(at(C3, t), i32x4.add(sigma0(at(W3, t - 15)), at(W3, t - 16))));
  }
  for (let t = 18; t < 23; t++) {
    const s = i32x4.add(sigma1(at(W3, t - 2)), i32x4.add(sigma0(at(W3, t - 15)), at(W3, t - 16)));
    put(W3, t, i32x4.add(at(C3, t), s));
  }
  put(
    W3,
    23,
    i32x4.add(i32x4.add(at(C3, 23), sigma1(at(W3, 21))), i32x4.add(at(W3, 16), at(W3, 7))),
  );
  for (let t = 24; t < 31; t++) {
    put(W3, t, i32x4.add(i32x4.add(at(C3, t), sigma1(at(W3, t - 2))), at(W3, t - 7)));
  }
  const s31 = i32x4.add(sigma1(at(W3, 29)), i32x4.add(at(W3, 24), sigma0(at(W3, 16))));
  put(W3, 31, i32x4.add(at(C3, 31), s31));
  schedule(W3, 32);
}

function splat8(words: usize, vectors: usize): void {
  for (let i = 0; i < 8; i++) put(vectors, i, i32x4.splat(load<u32>(words + (i << 2))));
}

/** Hashes the header's first block and lays out everything that stays fixed while mining. */
export function prepare(): void {
  initConstants();
  for (let t = 0; t < 16; t++) store<u32>(SW + (t << 2), be32(HEADER + (t << 2)));
  scalarSchedule(16);
  scalarRounds(IV, MID, 64, true);
  splat8(MID, MIDV);
  splat8(IV, IVV);
  for (let t = 0; t < 8; t++) store<u32>(TARGET_WORDS + (t << 2), be32(TARGET + (t << 2)));
  // Block 2: header words 16..20, the nonce (set by search), 0x80 padding, the length in bits.
  for (let t = 0; t < 5; t++) put(W2, t, i32x4.splat(be32(HEADER + 64 + (t << 2))));
  put(W2, 7, i32x4.splat(0x80000000));
  for (let t = 8; t < 15; t++) put(W2, t, i32x4.splat(0));
  put(W2, 15, i32x4.splat(92 * 8));
  // The second hash: a 32-byte digest, 0x80 padding, the length in bits; then the constant terms
  // of W16..W31 that scheduleDigest() leaves out.
  put(W3, 8, i32x4.splat(0x80000000));
  for (let t = 9; t < 15; t++) put(W3, t, i32x4.splat(0));
  put(W3, 15, i32x4.splat(32 * 8));
  put(C3, 16, i32x4.add(sigma1(at(W3, 14)), at(W3, 9)));
  put(C3, 17, i32x4.add(sigma1(at(W3, 15)), at(W3, 10)));
  for (let t = 18; t < 23; t++) put(C3, t, at(W3, t - 7));
  put(C3, 23, sigma0(at(W3, 8)));
  for (let t = 24; t < 31; t++) put(C3, t, i32x4.add(sigma0(at(W3, t - 15)), at(W3, t - 16)));
  put(C3, 31, at(W3, 15));
}

/** True if lane `lane` of the second hash (ST plus the IV) is <= the target. */
function laneMeetsTarget(lane: i32): bool {
  for (let i = 0; i < 8; i++) {
    const word = load<u32>(ST + (i << 4) + (lane << 2)) + load<u32>(IV + (i << 2));
    const limit = load<u32>(TARGET_WORDS + (i << 2));
    if (word !== limit) return word < limit;
  }
  return true;
}

function writeResult(lane: i32): void {
  for (let i = 0; i < 8; i++) {
    const word = load<u32>(ST + (i << 4) + (lane << 2)) + load<u32>(IV + (i << 2));
    store<u32>(RESULT + (i << 2), bswap<u32>(word));
  }
}

/** Work that depends on the nonce's high word only: block 2's rounds 0..5 and schedule parts. */
function prepareHigh(hi: u32): void {
  put(W2, 5, i32x4.splat(hi));
  schedule(W2, 16); // W16..W20 are final; W21.. are redone per batch
  for (let t = 0; t < 6; t++) store<u32>(SW + (t << 2), load<u32>(W2 + (t << 4)));
  scalarRounds(MID, PRE, 6, false);
  splat8(PRE, PREV);
  put(C2, 21, i32x4.add(i32x4.add(sigma1(at(W2, 19)), at(W2, 14)), at(W2, 5)));
  put(C2, 22, i32x4.add(i32x4.add(sigma1(at(W2, 20)), at(W2, 15)), sigma0(at(W2, 7))));
  for (let t = 23; t < 28; t++) {
    put(C2, t, i32x4.add(at(W2, t - 7), i32x4.add(sigma0(at(W2, t - 15)), at(W2, t - 16))));
  }
  for (let t = 28; t < 36; t++) put(C2, t, i32x4.add(sigma0(at(W2, t - 15)), at(W2, t - 16)));
}

export function search(hi: u32, lo: u32, count: u32): i32 {
  prepareHigh(hi);
  const iv0 = at(IVV, 0);
  const limit0 = i32x4.splat(load<u32>(TARGET_WORDS));
  const lanes = i32x4(0, 1, 2, 3);
  for (let i: u32 = 0; i < count; i += 4) {
    put(W2, 6, i32x4.add(i32x4.splat(lo + i), lanes));
    scheduleNonce();
    rounds(W2, 6, PREV);
    for (let j = 0; j < 8; j++) put(W3, j, i32x4.add(at(ST, j), at(MIDV, j)));
    scheduleDigest();
    rounds(W3, 0, IVV);
    // PERF: the hash's first word decides almost always; the other seven only on a near miss.
    if (v128.any_true(i32x4.le_u(i32x4.add(at(ST, 0), iv0), limit0))) {
      for (let lane = 0; lane < 4; lane++) {
        if (i + <u32>lane < count && laneMeetsTarget(lane)) {
          writeResult(lane);
          return <i32>(i + <u32>lane);
        }
      }
    }
  }
  return -1;
}
