/**
 * Mutation fuzzing, shared by the suite (test/unit/fuzz/decoders.test.ts,
 * test/integration/fuzzRoutes.test.ts: a few thousand cases) and the long run (bench/fuzz.ts).
 * Valid encodings and requests are made, then mutated (bits flipped, bytes set, inserted,
 * deleted, the end cut or extended, fields swapped for anything JSON can hold), and what the node
 * does with them is checked: decoders answer a Result and never throw, anything they accept is
 * the one canonical encoding of what they return, and no route answers 5xx or an error outside
 * the error table.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import fc from 'fast-check';
import { httpStatus } from '../../src/api/httpStatus.js';
import {
  type Block,
  blockToJson,
  checkBlock,
  checkTx,
  decodeBlock,
  decodeHeader,
  decodeTx,
  type ErrorCode,
  encodeBlock,
  encodeHeader,
  encodeTx,
  errorMeanings,
  fromHex,
  toHex,
  txToJson,
} from '../../src/core/index.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import { type BlockyardNode, createNode } from '../../src/node/createNode.js';
import { Announce, BlocksPage, HeadersPage, Hello, PeerList } from '../../src/p2p/messages.js';
import { blockArb, coinbaseArb, headerArb, transferArb } from './arbitraries.js';
import { alice, bob, ChainBuilder, easyParams } from './chainBuilder.js';

type Op =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number }
  | { kind: 'cut'; at: number }
  | { kind: 'append'; more: Uint8Array };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('append' as const),
    more: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
);

/** Applies mutations to a copy of `input`; positions wrap around its length. */
export function mutate(input: Uint8Array, ops: readonly Op[]): Uint8Array {
  let bytes = [...input];
  for (const op of ops) {
    const at = bytes.length === 0 ? 0 : op.kind === 'append' ? 0 : op.at % bytes.length;
    switch (op.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << op.bit);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at] = op.value;
        break;
      case 'insert':
        bytes.splice(at, 0, op.value);
        break;
      case 'delete':
        bytes.splice(at, 1);
        break;
      case 'cut':
        bytes = bytes.slice(0, at);
        break;
      case 'append':
        bytes.push(...op.more);
        break;
    }
  }
  return Uint8Array.from(bytes);
}

export const mutationsArb = fc.array(opArb, { minLength: 1, maxLength: 4 });

/** A Result failure's code must be in the one table. */
function expectKnownCode(result: { ok: boolean; code?: string }): void {
  if (!result.ok && !(result.code! in errorMeanings))
    throw new Error(`unknown code ${result.code}`);
}

/** Decodes `bytes`; throws (failing the property) unless the answer is canonical or a known code. */
function checkDecoder<T>(
  bytes: Uint8Array,
  decode: (b: Uint8Array) => { ok: true; value: T } | { ok: false; code: string },
  encode: (v: T) => Uint8Array,
  more?: (v: T) => { ok: boolean; code?: string },
): void {
  const decoded = decode(bytes);
  expectKnownCode(decoded);
  if (!decoded.ok) return;
  const again = toHex(encode(decoded.value));
  if (again !== toHex(bytes)) throw new Error(`accepted a non-canonical encoding ${toHex(bytes)}`);
  if (more) expectKnownCode(more(decoded.value));
}

export interface FuzzCounts {
  readonly name: string;
  readonly cases: number;
}

/** Mutation fuzzing of the transaction, header and block decoders; `runs` cases each. */
export function fuzzDecoders(runs: number, seed?: number): FuzzCounts[] {
  const options = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };
  fc.assert(
    fc.property(fc.oneof(transferArb, coinbaseArb), mutationsArb, (tx, ops) =>
      checkDecoder(mutate(encodeTx(tx), ops), decodeTx, encodeTx, (t) => checkTx(t, easyParams)),
    ),
    options,
  );
  fc.assert(
    fc.property(headerArb, mutationsArb, (header, ops) =>
      checkDecoder(mutate(encodeHeader(header), ops), decodeHeader, encodeHeader),
    ),
    options,
  );
  // Blocks are bigger: a fifth as many cases.
  const blockRuns = Math.max(1, Math.floor(runs / 5));
  fc.assert(
    fc.property(blockArb, mutationsArb, (block: Block, ops) =>
      checkDecoder(mutate(encodeBlock(block), ops), decodeBlock, encodeBlock, (b) =>
        checkBlock(b, easyParams),
      ),
    ),
    { ...options, numRuns: blockRuns },
  );
  return [
    { name: 'transaction decoder', cases: runs },
    { name: 'header decoder', cases: runs },
    { name: 'block decoder', cases: blockRuns },
  ];
}

/** A seeded source of integers (mulberry32), so a failing case is repeatable from its seed. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** An integer from `min` to `max`, both included. */
  nextInt(min: number, max: number): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(unit * (max - min + 1));
  }
}

/**
 * A JSON value with parts replaced: any property may become anything JSON holds, a string may be
 * cut or get junk appended, an array may lose or gain items.
 */
export function mutateJson(value: unknown, random: Rng, depth = 0): unknown {
  const roll = random.nextInt(0, 9);
  if (depth > 0 && roll === 0) return junk(random);
  if (typeof value === 'string') {
    // A hex digit changed: the length (and so the schema) still fits, the decoder sees new bytes.
    if (roll >= 5 && /^[0-9a-f]+$/.test(value)) {
      const at = random.nextInt(0, value.length - 1);
      const digit = '0123456789abcdef'[random.nextInt(0, 15)]!;
      return `${value.slice(0, at)}${digit}${value.slice(at + 1)}`;
    }
    if (roll <= 2) return value.slice(0, random.nextInt(0, value.length));
    if (roll === 3) return `${value}${junkString(random)}`;
    if (roll === 4) return value.toUpperCase();
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => mutateJson(v, random, depth + 1));
    if (roll === 5) items.pop();
    if (roll === 6) items.push(junk(random));
    return items;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => [k, mutateJson(v, random, depth + 1)] as const,
    );
    if (roll === 7 && entries.length > 0) entries.splice(random.nextInt(0, entries.length - 1), 1);
    if (roll === 8) entries.push([junkString(random), junk(random)]);
    return Object.fromEntries(entries);
  }
  if (typeof value === 'number' && roll <= 3)
    return [-1, 0, 2 ** 53, 1.5, Number.NaN][roll] ?? value;
  return value;
}

const JUNK_STRINGS = ['', ' ', 'zz', '0x00', '%', '\u0000', 'é', '💥', '-1', '1e400', '__proto__'];
function junkString(random: Rng): string {
  return JUNK_STRINGS[random.nextInt(0, JUNK_STRINGS.length - 1)]!;
}
function junk(random: Rng): unknown {
  const pick = random.nextInt(0, 7);
  return [null, true, -1, 2 ** 64, junkString(random), [], {}, { a: [1] }][pick];
}

/** An arbitrary of mutated copies of `values` (each picked, then mutated by a seeded Random). */
export function mutatedJsonArb(values: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...values), fc.integer())
    .map(([value, seed]) => mutateJson(value, new Rng(seed)));
}

/**
 * Peer messages, as a node receives them (an answer to its call, or an announce): mutated copies
 * of valid ones go through the same schema check as peerClient.ts's, and what passes is decoded
 * as the node would. Nothing may throw; every failure must have a known code.
 */
export function fuzzPeerMessages(
  runs: number,
  examples: PeerExamples,
  seed?: number,
): FuzzCounts[] {
  const options = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };
  const schemas = [
    { name: 'Hello', schema: Hello, values: [examples.hello] },
    { name: 'Announce', schema: Announce, values: [examples.announce] },
    { name: 'HeadersPage', schema: HeadersPage, values: [{ headers: examples.headers }] },
    { name: 'BlocksPage', schema: BlocksPage, values: [{ blocks: examples.blocks }] },
    { name: 'PeerList', schema: PeerList, values: [{ peers: ['http://127.0.0.1:5001'] }] },
  ] as const;
  for (const { schema, values } of schemas) {
    const check = TypeCompiler.Compile(schema);
    fc.assert(
      fc.property(mutatedJsonArb(values), (message) => {
        // As it comes off the wire: JSON text, parsed again.
        const parsed = JSON.parse(JSON.stringify(message) ?? 'null') as unknown;
        if (!check.Check(parsed)) return;
        const value = parsed as Record<string, unknown>;
        for (const hex of (value.headers as string[] | undefined) ?? [])
          expectKnownCode(decodeHeader(fromHex(hex)));
        for (const hex of (value.txs as string[] | undefined) ?? [])
          expectKnownCode(decodeTx(fromHex(hex)));
        for (const hex of (value.blocks as string[] | undefined) ?? []) {
          const bytes = Buffer.from(hex, 'hex');
          if (bytes.length * 2 === hex.length) expectKnownCode(decodeBlock(bytes));
        }
      }),
      options,
    );
  }
  return schemas.map(({ name }) => ({ name: `peer message ${name}`, cases: runs }));
}

export interface PeerExamples {
  readonly hello: unknown;
  readonly announce: unknown;
  readonly headers: readonly string[];
  readonly blocks: readonly string[];
}

/** One request to a route: method, URL, and a body as it goes on the wire. */
export interface FuzzRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly contentType?: string;
  readonly payload?: string;
}

/** What a fuzzed route may answer: below 500, and an error only with its table's code and status. */
export function checkAnswer(request: FuzzRequest, status: number, body: string): void {
  const where = `${request.method} ${request.url.slice(0, 120)}`;
  if (status >= 500) throw new Error(`${where} answered ${status}: ${body.slice(0, 200)}`);
  if (status < 400) return;
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    throw new Error(`${where} answered ${status} without JSON: ${body.slice(0, 200)}`);
  }
  const want = code === undefined ? undefined : httpStatus[code as ErrorCode];
  if (want === undefined) throw new Error(`${where} answered ${status} with unknown code ${code}`);
  if (want !== status) throw new Error(`${where} answered ${status} for ${code} (${want})`);
}

/** Valid bodies and ids of a running node, from which requests are mutated. */
export interface RouteExamples {
  readonly txJson: unknown;
  readonly txHex: string;
  readonly blockHex: string;
  readonly blockJson: unknown;
  readonly headerHex: string;
  readonly blockHash: string;
  readonly txId: string;
  readonly address: string;
}

/** URL-encoded; a lone surrogate (a cut emoji) becomes U+FFFD, as a client's UTF-8 would. */
const enc = (value: unknown) => encodeURIComponent(Buffer.from(String(value)).toString());

/** Requests to every route that takes data, mutated; none that makes the node call out. */
export function requestArb(x: RouteExamples): fc.Arbitrary<FuzzRequest> {
  const json = (values: readonly unknown[]) =>
    mutatedJsonArb(values).map((v) => JSON.stringify(v) ?? 'null');
  const post = (url: string, body: fc.Arbitrary<string>) =>
    fc
      .tuple(
        body,
        fc.constantFrom(
          'application/json',
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
        ),
      )
      .map(
        ([payload, contentType]): FuzzRequest => ({ method: 'POST', url, contentType, payload }),
      );
  const text = fc.oneof(
    mutatedJsonArb([x.blockHash, x.txId, x.address, '12', x.headerHex]).map(String),
    fc.string({ maxLength: 80 }),
  );
  const get = (make: (t: string) => string) =>
    text.map((t): FuzzRequest => ({ method: 'GET', url: make(t) }));
  return fc.oneof(
    post('/api/tx', json([x.txJson, { hex: x.txHex }])),
    post('/api/tx/batch', json([{ transactions: [x.txJson, { hex: x.txHex }] }])),
    post('/api/blocks', json([{ hex: x.blockHex }, x.blockJson])),
    post('/api/p2p/announce', json([{ port: 1, headers: [x.headerHex], txs: [x.txHex] }])),
    post(
      '/transactions/new',
      json([x.txJson, { sender: x.address, recipient: x.address, amount: 1 }]),
    ),
    post('/nodes/remove', json([{ nodes: ['127.0.0.1:1'] }])),
    post('/api/tx', fc.string({ maxLength: 200 })),
    get((t) => `/api/blocks/${enc(t)}`),
    get((t) => `/api/tx/${enc(t)}`),
    get((t) => `/api/address/${enc(t)}`),
    get((t) => `/api/address/${enc(t)}/history?limit=${enc(t.length)}`),
    get((t) => `/api/search?q=${enc(t)}`),
    get((t) => `/api/blocks?before_height=${enc(t)}&limit=${enc(t.slice(0, 3))}`),
    get((t) => `/api/p2p/headers?locator=${enc(t)}`),
    get((t) => `/api/p2p/blocks?hashes=${enc(t)}`),
    get((t) => `/api/tree?depth=${enc(t)}`),
    get((t) => `/${t.replace(/[^a-z/]/gi, '')}`),
  );
}

/**
 * A node (memory store, inline mining, a free port on 127.0.0.1) with a block and a pending
 * transfer, and its data as examples to mutate. The caller closes it.
 */
export async function fuzzTarget(): Promise<{ node: BlockyardNode; examples: RouteExamples }> {
  const node = await createNode({
    params: easyParams,
    port: 0,
    search: createInlineNonceSearch(),
    syncIntervalMs: 600_000,
  });
  const mined = await node.app.inject({ method: 'GET', url: '/mine' });
  const sent = await node.app.inject({
    method: 'POST',
    url: '/transactions/new',
    payload: { sender: node.nodeKey.address, recipient: node.nodeKey.address, amount: 1 },
  });
  if (mined.statusCode !== 200 || sent.statusCode !== 201) throw new Error('fuzz target setup');
  const tx = node.mempool.get(sent.json().id)!.tx;
  const block = node.chain.getBlock(node.chain.tip);
  return {
    node,
    examples: {
      txJson: txToJson(tx, easyParams),
      txHex: toHex(encodeTx(tx)),
      blockHex: toHex(encodeBlock(block)),
      blockJson: blockToJson(block, easyParams),
      headerHex: toHex(encodeHeader(block.header)),
      blockHash: node.chain.tip.hashHex,
      txId: sent.json().id,
      address: node.nodeKey.address,
    },
  };
}

/** Valid peer messages of a short chain with one transfer: the seeds that fuzzPeerMessages mutates. */
export function peerExamples(): PeerExamples {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const block = builder.mine({ transfers: [builder.transfer(alice, bob, 1_000n)] });
  return {
    hello: {
      version: '0.1.0',
      network: 'tutorial',
      chain_id: 1,
      genesis_hash: toHex(new Uint8Array(32)),
      node_address: 'tut1x',
      port: 5000,
      height: 2,
      tip_hash: toHex(new Uint8Array(32).fill(1)),
      chain_work: '12345',
    },
    announce: {
      port: 5000,
      headers: [toHex(encodeHeader(block.header))],
      txs: [toHex(encodeTx(block.txs[1]!))],
    },
    headers: builder.blocks.map((b) => toHex(encodeHeader(b.header))),
    blocks: builder.blocks.slice(1).map((b) => toHex(encodeBlock(b))),
  };
}
