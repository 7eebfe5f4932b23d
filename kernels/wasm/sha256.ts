/**
 * SHA-256 building blocks for the WASM kernel (AssemblyScript): the constants, a scalar
 * compression for one-off work, and a four-lane vector compression for the search itself.
 * Vectors live in tables of v128 in linear memory, one per schedule word or state word.
 */

export const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
export const IV: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** K splatted into vectors, so that a round loads it instead of splatting it (see initConstants). */
const KV: usize = memory.data(64 * 16, 16);
/** Scalar message schedule. */
export const SW: usize = memory.data(64 * 4, 16);
/** Vector state written by rounds(). */
export const ST: usize = memory.data(8 * 16, 16);

export function initConstants(): void {
  for (let t = 0; t < 64; t++) put(KV, t, i32x4.splat(load<u32>(K + (t << 2))));
}

export function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

export function scalarSchedule(from: i32): void {
  for (let t = from; t < 64; t++) {
    const x = load<u32>(SW + ((t - 15) << 2));
    const y = load<u32>(SW + ((t - 2) << 2));
    const s0 = rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
    const s1 = rotr<u32>(y, 17) ^ rotr<u32>(y, 19) ^ (y >>> 10);
    store<u32>(
      SW + (t << 2),
      s1 + load<u32>(SW + ((t - 7) << 2)) + s0 + load<u32>(SW + ((t - 16) << 2)),
    );
  }
}

/** Scalar rounds [0, end) over SW from the state at `from`, written to `to`; feeds forward if asked. */
export function scalarRounds(from: usize, to: usize, end: i32, feedForward: bool): void {
  let a = load<u32>(from, 0);
  let b = load<u32>(from, 4);
  let c = load<u32>(from, 8);
  let d = load<u32>(from, 12);
  let e = load<u32>(from, 16);
  let f = load<u32>(from, 20);
  let g = load<u32>(from, 24);
  let h = load<u32>(from, 28);
  for (let t = 0; t < end; t++) {
    const s1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const t1 = h + s1 + ((e & f) ^ (~e & g)) + load<u32>(K + (t << 2)) + load<u32>(SW + (t << 2));
    const s0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const t2 = s0 + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  if (feedForward) {
    a += load<u32>(from, 0);
    b += load<u32>(from, 4);
    c += load<u32>(from, 8);
    d += load<u32>(from, 12);
    e += load<u32>(from, 16);
    f += load<u32>(from, 20);
    g += load<u32>(from, 24);
    h += load<u32>(from, 28);
  }
  store<u32>(to, a, 0);
  store<u32>(to, b, 4);
  store<u32>(to, c, 8);
  store<u32>(to, d, 12);
  store<u32>(to, e, 16);
  store<u32>(to, f, 20);
  store<u32>(to, g, 24);
  store<u32>(to, h, 28);
}

function rotr4(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

export function sigma0(x: v128): v128 {
  return v128.xor(v128.xor(rotr4(x, 7), rotr4(x, 18)), i32x4.shr_u(x, 3));
}

export function sigma1(x: v128): v128 {
  return v128.xor(v128.xor(rotr4(x, 17), rotr4(x, 19)), i32x4.shr_u(x, 10));
}

/** Vector word `t` of a table of v128 (a schedule, a state, constants). */
export function at(table: usize, t: i32): v128 {
  return v128.load(table + (t << 4));
}

export function put(table: usize, t: i32, value: v128): void {
  v128.store(table + (t << 4), value);
}

/** W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16] for t in [from, 64). */
export function schedule(w: usize, from: i32): void {
  for (let t = from; t < 64; t++) {
    const sum = i32x4.add(
      i32x4.add(sigma1(at(w, t - 2)), at(w, t - 7)),
      i32x4.add(sigma0(at(w, t - 15)), at(w, t - 16)),
    );
    put(w, t, sum);
  }
}

/** Σ1(e) + Ch(e, f, g) + h + kw, where kw = K[t] + W[t]: the round's T1. */
function t1(e: v128, f: v128, g: v128, h: v128, kw: v128): v128 {
  const s1 = v128.xor(v128.xor(rotr4(e, 6), rotr4(e, 11)), rotr4(e, 25));
  const ch = v128.xor(v128.and(v128.xor(f, g), e), g);
  return i32x4.add(i32x4.add(h, s1), i32x4.add(ch, kw));
}

/**
 * Σ0(a) + Maj(a, b, c): the round's T2. PERF: Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and b ^ c is
 * the previous round's a ^ b, so each round pays one xor for it instead of two.
 */
function t2(a: v128, b: v128, ab: v128, bc: v128): v128 {
  const s0 = v128.xor(v128.xor(rotr4(a, 2), rotr4(a, 13)), rotr4(a, 22));
  return i32x4.add(s0, v128.xor(b, v128.and(ab, bc)));
}

function kw(w: usize, t: i32): v128 {
  return i32x4.add(v128.load(KV + (t << 4)), v128.load(w + (t << 4)));
}

/**
 * Vector rounds [from, 64) over schedule `w`, from the state at `src` to ST. PERF: rounds come
 * eight at a time with the variables' roles rotated, instead of moving eight values each round.
 */
export function rounds(w: usize, from: i32, src: usize): void {
  let a = v128.load(src, 0);
  let b = v128.load(src, 16);
  let c = v128.load(src, 32);
  let d = v128.load(src, 48);
  let e = v128.load(src, 64);
  let f = v128.load(src, 80);
  let g = v128.load(src, 96);
  let h = v128.load(src, 112);
  let bc = v128.xor(b, c);
  let t = from;
  for (; (t & 7) !== 0; t++) {
    const ab = v128.xor(a, b);
    const x = t1(e, f, g, h, kw(w, t));
    const y = t2(a, b, ab, bc);
    bc = ab;
    h = g;
    g = f;
    f = e;
    e = i32x4.add(d, x);
    d = c;
    c = b;
    b = a;
    a = i32x4.add(x, y);
  }
  // NOTE: from here `ab` and `bc` take turns: the a ^ b of one round is the b ^ c of the next.
  for (; t < 64; t += 8) {
    let ab = v128.xor(a, b);
    let x = t1(e, f, g, h, kw(w, t));
    d = i32x4.add(d, x);
    h = i32x4.add(x, t2(a, b, ab, bc));
    bc = v128.xor(h, a);
    x = t1(d, e, f, g, kw(w, t + 1));
    c = i32x4.add(c, x);
    g = i32x4.add(x, t2(h, a, bc, ab));
    ab = v128.xor(g, h);
    x = t1(c, d, e, f, kw(w, t + 2));
    b = i32x4.add(b, x);
    f = i32x4.add(x, t2(g, h, ab, bc));
    bc = v128.xor(f, g);
    x = t1(b, c, d, e, kw(w, t + 3));
    a = i32x4.add(a, x);
    e = i32x4.add(x, t2(f, g, bc, ab));
    ab = v128.xor(e, f);
    x = t1(a, b, c, d, kw(w, t + 4));
    h = i32x4.add(h, x);
    d = i32x4.add(x, t2(e, f, ab, bc));
    bc = v128.xor(d, e);
    x = t1(h, a, b, c, kw(w, t + 5));
    g = i32x4.add(g, x);
    c = i32x4.add(x, t2(d, e, bc, ab));
    ab = v128.xor(c, d);
    x = t1(g, h, a, b, kw(w, t + 6));
    f = i32x4.add(f, x);
    b = i32x4.add(x, t2(c, d, ab, bc));
    bc = v128.xor(b, c);
    x = t1(f, g, h, a, kw(w, t + 7));
    e = i32x4.add(e, x);
    a = i32x4.add(x, t2(b, c, bc, ab));
  }
  v128.store(ST, a, 0);
  v128.store(ST, b, 16);
  v128.store(ST, c, 32);
  v128.store(ST, d, 48);
  v128.store(ST, e, 64);
  v128.store(ST, f, 80);
  v128.store(ST, g, 96);
  v128.store(ST, h, 112);
}
