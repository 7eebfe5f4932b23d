/**
 * A blocks answer (`GET /api/p2p/blocks`: `{"blocks":["<hex>", …]}`) written from the blocks'
 * bytes into one Buffer (writeBlocksAnswer, the serving node), and read as it comes, chunk by
 * chunk, each block's hex decoded straight into that block's own bytes: no text of the whole
 * answer, no JSON.parse, no JavaScript string of a block's hex.
 *
 * PERF: a batch of 2 full blocks was held as its chunks (4 MB), their concatenation (4 MB), its
 * text (4 MB of string) and JSON.parse's strings (2 MB each), then each block's bytes; the strings
 * live in V8's large-object space, which only a full collection frees (collectGarbage.ts).
 * Now a block's hex is decoded as it comes into one buffer of at most a block's size limit
 * (HexDecoder), then copied into one Uint8Array of the block's size, which its decoded
 * transactions view (decodeBlock's `views`): one buffer a block. Reading a 2-block answer in
 * 64 KB chunks costs 4.7–8.2 ms of CPU a full block against 6.8–9.7 for concat, toString,
 * JSON.parse and Buffer's hex (alternated, same process, load 13); the peak of a sync:
 * fetchBatch.ts decodeExpected.
 *
 * The shape is BlocksAnswer's (messages.ts), checked as strictly: one property, `blocks`, an
 * array of at most MAX_BLOCKS_PER_CAPPED_REQUEST strings of at most BLOCK_HEX_CHARS characters,
 * each lowercase hex of whole bytes; JSON's whitespace between tokens. Stricter than JSON in one
 * way: a string with an escape (`\u0030` for `0`) is refused, as no node writes one. Every
 * failure is P2P_BAD_RESPONSE, found as soon as the bytes show it (the call is dropped then).
 */
import { type Failure, fail, ok, type Result } from '../core/index.js';
import { BLOCK_HEX_CHARS, MAX_BLOCKS_PER_CAPPED_REQUEST } from './messages.js';

const NOT_HEX = 255;
/** Each byte's value as a lowercase hex digit, NOT_HEX for any other byte. */
const NIBBLE = new Uint8Array(256).fill(NOT_HEX);
for (let d = 0; d < 10; d++) NIBBLE[0x30 + d] = d;
for (let d = 0; d < 6; d++) NIBBLE[0x61 + d] = 10 + d;

/**
 * Hex decoded into bytes as it comes, piece by piece (a pair may be split between two pieces),
 * into a buffer that grows to at most the bytes of BLOCK_HEX_CHARS: what it holds is bounded by
 * a block's size limit, however the hex is cut. SECURITY: a peer dripping a block's hex a byte a
 * chunk made the reader keep every chunk (a view of its own, ≈ 200 bytes of heap each: 79 MB for
 * 400,000 characters, ≈ 393 MB for a block's 2,000,000) until the block's closing quote, or the
 * batch's deadline; now it holds the 1 MB buffer and nothing of the chunks: 2.0 MB for the
 * 2,000,000 (a reader in a loop, gc exposed; not kept). PERF: reading a 2-block
 * answer in 64 KB chunks, the copy into a block's own buffer included: 4.6, 4.6, 4.3, 4.6,
 * 5.1 ms of CPU a full block against 7.3, 4.8, 5.5, 5.1, 5.0 (alternated, load 6–8).
 */
export class HexDecoder {
  private out = new Uint8Array(0);
  private length = 0;
  /** The high nibble of a pair split between pieces, or -1. */
  private high = -1;

  /** Decodes `piece`; false if a byte is not a lowercase hex digit (nothing then is kept). */
  write(piece: Uint8Array): boolean {
    const n = piece.length;
    if (n === 0) return true;
    this.room(this.length + ((n + 1) >> 1));
    const out = this.out;
    let o = this.length;
    let i = 0;
    if (this.high >= 0) {
      const low = NIBBLE[piece[0]!]!;
      if (low === NOT_HEX) return this.bad();
      out[o++] = (this.high << 4) | low;
      this.high = -1;
      i = 1;
    }
    for (; i + 1 < n; i += 2) {
      const a = NIBBLE[piece[i]!]!;
      const b = NIBBLE[piece[i + 1]!]!;
      if ((a | b) > 15) return this.bad();
      out[o++] = (a << 4) | b;
    }
    this.length = o;
    if (i < n) {
      this.high = NIBBLE[piece[i]!]!;
      if (this.high === NOT_HEX) return this.bad();
    }
    return true;
  }

  /**
   * The bytes decoded since the last take, in a buffer of their own and of their size (a block's
   * decoded transactions view it), or undefined if an odd count of digits came; then it starts
   * over, keeping its buffer for the next block of the answer.
   */
  take(): Uint8Array | undefined {
    const odd = this.high >= 0;
    const bytes = odd ? undefined : this.out.slice(0, this.length);
    this.length = 0;
    this.high = -1;
    return bytes;
  }

  /** Lets its buffer go (the answer failed or ended). */
  clear(): void {
    this.out = new Uint8Array(0);
    this.length = 0;
    this.high = -1;
  }

  /** At least `bytes` of buffer: doubled from 64 KB as a block's hex comes, up to MAX_BYTES. */
  private room(bytes: number): void {
    if (bytes <= this.out.length) return;
    const grown = new Uint8Array(
      Math.max(bytes, Math.min(MAX_BYTES, Math.max(2 * this.out.length, 64 * 1024))),
    );
    grown.set(this.out.subarray(0, this.length));
    this.out = grown;
  }

  private bad(): false {
    this.clear();
    return false;
  }
}

/** The bytes of a block's hex of BLOCK_HEX_CHARS, the most the reader lets come. */
const MAX_BYTES = BLOCK_HEX_CHARS / 2;

const QUOTE = 0x22;
const KEY = 'blocks';
const MAX_KEY = 64;

/** Where the reader is in `{"blocks":["…","…"]}`. */
const At = {
  Start: 0, // before {
  KeyOpen: 1, // before the key's "
  Key: 2, // in the key
  Colon: 3,
  ArrayOpen: 4,
  FirstItem: 5, // after [: a " or ]
  Item: 6, // in a block's hex
  AfterItem: 7, // a , or ]
  NextItem: 8, // after ,: a "
  Close: 9, // after ]: }
  Done: 10, // whitespace only
} as const;
type At = (typeof At)[keyof typeof At];

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Reads one blocks answer: push() each chunk as it comes (a failure ends the call at once),
 * end() once the answer has ended; the blocks' bytes, in the answer's order.
 */
export class BlocksAnswerReader {
  private at: At = At.Start;
  private readonly blocks: Uint8Array[] = [];
  /** The key's characters so far (at most MAX_KEY), copied out of their chunks. */
  private key = '';
  /** The current string's characters so far (the key's, or a block's hex). */
  private chars = 0;
  /** The current block's hex, decoded as it comes. */
  private readonly hex = new HexDecoder();
  private failure: Failure | undefined;

  push(chunk: Uint8Array): Result {
    if (this.failure) return this.failure;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.at === At.Item || this.at === At.Key) {
        const end = chunk.indexOf(QUOTE, i);
        const stop = end === -1 ? n : end;
        const piece = chunk.subarray(i, stop);
        this.chars += piece.length;
        if (this.at === At.Key ? this.chars > MAX_KEY : this.chars > BLOCK_HEX_CHARS)
          return this.wrong(
            this.at === At.Key
              ? 'a property name too long'
              : `block ${this.blocks.length} longer than ${BLOCK_HEX_CHARS} characters`,
          );
        if (this.at === At.Key) this.key += Buffer.from(piece).toString('latin1');
        else if (!this.hex.write(piece)) return this.notHex();
        if (end === -1) return ok();
        i = end + 1;
        const failed = this.at === At.Key ? this.keyEnded() : this.blockEnded();
        if (failed) return failed;
        continue;
      }
      const byte = chunk[i++]!;
      if (isSpace(byte)) continue;
      const failed = this.token(byte);
      if (failed) return failed;
    }
    return ok();
  }

  /** The blocks, once the whole answer has come. */
  end(): Result<Uint8Array[]> {
    if (this.failure) return this.failure;
    if (this.at !== At.Done) return this.wrong('the answer ended before its end');
    this.hex.clear();
    return ok(this.blocks);
  }

  /** A byte outside the strings: the next token the shape allows, or a failure. */
  private token(byte: number): Failure | undefined {
    const expect = (want: string, next: At) => {
      if (byte === want.charCodeAt(0)) {
        this.at = next;
        return undefined;
      }
      return this.wrong(`'${String.fromCharCode(byte)}' where ${want} belongs`);
    };
    switch (this.at) {
      case At.Start:
        return expect('{', At.KeyOpen);
      case At.KeyOpen:
        return expect('"', At.Key);
      case At.Colon:
        return expect(':', At.ArrayOpen);
      case At.ArrayOpen:
        return expect('[', At.FirstItem);
      case At.FirstItem:
        if (byte === 0x5d) {
          this.at = At.Close;
          return undefined;
        }
        return this.itemStarts(byte);
      case At.AfterItem:
        if (byte === 0x2c) {
          this.at = At.NextItem;
          return undefined;
        }
        return expect(']', At.Close);
      case At.NextItem:
        return this.itemStarts(byte);
      case At.Close:
        return expect('}', At.Done);
      default:
        return this.wrong(`'${String.fromCharCode(byte)}' after the answer's end`);
    }
  }

  private itemStarts(byte: number): Failure | undefined {
    if (byte !== QUOTE) return this.wrong(`block ${this.blocks.length} is not a string`);
    if (this.blocks.length === MAX_BLOCKS_PER_CAPPED_REQUEST)
      return this.wrong(`more than ${MAX_BLOCKS_PER_CAPPED_REQUEST} blocks`);
    this.at = At.Item;
    return undefined;
  }

  private keyEnded(): Failure | undefined {
    const key = this.key;
    this.reset();
    if (key !== KEY) return this.wrong('a property other than blocks');
    this.at = At.Colon;
    return undefined;
  }

  private blockEnded(): Failure | undefined {
    const bytes = this.hex.take();
    this.reset();
    if (!bytes) return this.notHex();
    this.blocks.push(bytes);
    this.at = At.AfterItem;
    return undefined;
  }

  private reset(): void {
    this.key = '';
    this.chars = 0;
  }

  private notHex(): Failure {
    return this.fail(
      `block ${this.blocks.length} of the answer is not lowercase hex of whole bytes`,
    );
  }

  private wrong(detail: string): Failure {
    return this.fail(`the blocks answer has the wrong shape: ${detail}`);
  }

  private fail(detail: string): Failure {
    this.failure = fail('P2P_BAD_RESPONSE', detail);
    this.reset();
    this.hex.clear();
    return this.failure;
  }
}

const HEX_DIGITS = Buffer.from('0123456789abcdef');
const OPEN = Buffer.from('{"blocks":[');
const CLOSE = Buffer.from(']}');

/**
 * The blocks answer of `blocks` (their canonical bytes), `{"blocks":["<hex>",…]}`, written into one
 * Buffer: the bytes fast-json-stringify wrote for BlocksPage, byte for byte (a test compares).
 * PERF: a serving node hex-encoded each block into a string (2 MB a full block), fastify's
 * serializer copied them into the answer's string, and the socket's write into bytes again: three
 * big strings a block, in V8's large-object space. A serving node (bench/lib/syncMemory.ts, 32
 * full blocks loaded, then served to a syncing node; alternated with the code before, load 9-11):
 * peak 549, 575 MB -> 461, 402 MB, with the bench's blocks decoded as views (p2pNode's load) too;
 * serving 30 full blocks, 2 a request, best of 3: wall 19.0, 19.9 -> 20.4, 18.8 ms a block, its
 * CPU 9.8, 14.7 -> 11.2, 10.6 ms (load 5-6).
 */
export function writeBlocksAnswer(blocks: readonly Uint8Array[]): Buffer {
  let size = OPEN.length + CLOSE.length + Math.max(0, blocks.length - 1);
  for (const block of blocks) size += 2 + 2 * block.length;
  const out = Buffer.allocUnsafe(size);
  let at = OPEN.copy(out, 0);
  for (const [i, block] of blocks.entries()) {
    if (i > 0) out[at++] = 0x2c; // ,
    out[at++] = QUOTE;
    for (let k = 0; k < block.length; k++) {
      const byte = block[k]!;
      out[at++] = HEX_DIGITS[byte >> 4]!;
      out[at++] = HEX_DIGITS[byte & 15]!;
    }
    out[at++] = QUOTE;
  }
  CLOSE.copy(out, at);
  return out;
}
