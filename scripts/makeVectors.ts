/**
 * Writes the frozen vectors in test/vectors/*.json (chains/ is made elsewhere): `npm run vectors`.
 * Every input is fixed below, so two runs write identical files. The files freeze the protocol:
 * if a run changes one, a consensus rule changed — review the diff before committing it.
 *
 * `core.*` and `signing.*` are the code under check. Each value they compute is derived a second
 * time without them, and any disagreement throws before anything is written: byte layouts from the field tables
 * with hex strings, SHA-256 and Ed25519 by node:crypto (OpenSSL), bech32m by BIP-350's reference
 * algorithm, compact bits and work by Bitcoin Core's rules and its own test values.
 */
import { createHash, createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type {
  Block,
  BlockHeader,
  ErrorCode,
  NetworkParams,
  Transfer,
  Tx,
} from '../src/core/index.js';
import * as core from '../src/core/index.js';
import * as signing from '../src/core/nobleEd25519.js';

const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;
const MAX_256 = (1n << 256n) - 1n;
type Json = Record<string, unknown>;

function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`cross-check failed: ${what}: ${actual} vs ${expected}`);
}
function write(file: string, producedBy: string, body: { vectors: unknown[] } & Json): void {
  const command = 'npx tsx scripts/makeVectors.ts (npm run vectors)';
  const text = JSON.stringify({ produced_by: `${command}; ${producedBy}`, ...body }, null, 2);
  writeFileSync(new URL(`../test/vectors/${file}`, import.meta.url), `${text}\n`);
  console.log(`test/vectors/${file}: ${body.vectors.length} vectors`);
}

// ---- independent of the core: node:crypto and hex strings ----
const hx = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => Buffer.from(text).toString('hex');
const sha256 = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const sha256d = (hex: string) => sha256(sha256(hex));
function u(value: bigint | number, bytes: number): string {
  const hex = value.toString(16).padStart(bytes * 2, '0');
  same(value >= 0 && hex.length === bytes * 2, true, `${value} fits in ${bytes} bytes`);
  return hex;
}
const b4 = (bits: number) => u(bits, 4);
function layoutTx(tx: Tx): string {
  if (tx.type === 'coinbase')
    return `00${u(tx.chainId, 4)}${u(tx.height, 4)}${hx(tx.to)}${u(tx.amount, 8)}`;
  return (
    `01${u(tx.chainId, 4)}${hx(tx.from)}${hx(tx.to)}` +
    `${u(tx.amount, 8)}${u(tx.fee, 8)}${u(tx.nonce, 8)}${hx(tx.signature)}`
  );
}
const layoutHeader = (h: BlockHeader) =>
  `${u(h.version, 4)}${u(h.height, 4)}${hx(h.prevHash)}${hx(h.merkleRoot)}` +
  `${u(h.timestampMs, 8)}${b4(h.bits)}${u(h.nonce, 8)}`;
function merkle(ids: string[]): string {
  let level = ids;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(sha256d(level[i]! + level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
const nodeKey = (secret: string) =>
  createPrivateKey({
    key: Buffer.from(`302e020100300506032b657004220420${secret}`, 'hex'), // PKCS#8 Ed25519 seed
    format: 'der',
    type: 'pkcs8',
  });
const nodePublic = (secret: string) =>
  hx(createPublicKey(nodeKey(secret)).export({ format: 'der', type: 'spki' }).subarray(12));
const nodeSignHex = (secret: string, message: string) =>
  hx(nodeSign(null, Buffer.from(message, 'hex'), nodeKey(secret)));

// ---- keys and signed transfers ----
const RFC8032_TEST1 = {
  secret_key: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  public_key: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  message: '',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
function pub(secret: string): string {
  const key = hx(signing.publicKeyFromSecret(core.fromHex(secret)));
  same(key, nodePublic(secret), `public key of ${secret}`);
  return key;
}
const [SK1, SK2, SK_RFC] = ['01'.repeat(32), '02'.repeat(32), RFC8032_TEST1.secret_key];
const [PK1, PK2, PK_RFC] = [pub(SK1), pub(SK2), pub(SK_RFC)];
same(PK_RFC, RFC8032_TEST1.public_key, 'RFC 8032 test 1 public key');
same(nodeSignHex(SK_RFC, ''), RFC8032_TEST1.signature, 'RFC 8032 test 1 (node:crypto)');
same(
  hx(signing.signMessage(new Uint8Array(0), core.fromHex(SK_RFC))),
  RFC8032_TEST1.signature,
  'RFC 8032',
);
const ZERO32 = '00'.repeat(32);

function signed(
  sk: string,
  chainId: number,
  to: string,
  amount: bigint,
  fee: bigint,
  nonce: bigint,
) {
  const from = core.fromHex(pub(sk));
  const unsigned = {
    type: 'transfer' as const,
    chainId,
    from,
    to: core.fromHex(to),
    amount,
    fee,
    nonce,
  };
  const preimage = hx(core.txSigningBytes(unsigned));
  const body = layoutTx({ ...unsigned, signature: new Uint8Array(64) }).slice(0, 93 * 2);
  same(preimage, ascii('blockyard/tx/v1') + body, 'signing preimage');
  const tx = signing.signTransfer(unsigned, core.fromHex(sk));
  same(hx(tx.signature), nodeSignHex(sk, preimage), 'signature (node:crypto)');
  return tx;
}
const coinbase = (chainId: number, height: number, to: string, amount: bigint): Tx => ({
  type: 'coinbase',
  chainId,
  height,
  to: core.fromHex(to),
  amount,
});

// ---- JSON views (snake_case as the API; u64 as decimal strings; bits as 8 hex digits) ----
function txJson(tx: Tx): Json {
  const [type, chain_id, to, amount] = [tx.type, tx.chainId, hx(tx.to), `${tx.amount}`];
  if (tx.type === 'coinbase') return { type, chain_id, height: tx.height, to, amount };
  const [fee, nonce, signature] = [`${tx.fee}`, `${tx.nonce}`, hx(tx.signature)];
  return { type, chain_id, from: hx(tx.from), to, amount, fee, nonce, signature };
}
const headerJson = (h: BlockHeader): Json => ({
  version: h.version,
  height: h.height,
  prev_hash: hx(h.prevHash),
  merkle_root: hx(h.merkleRoot),
  timestamp_ms: h.timestampMs,
  bits: b4(h.bits),
  nonce: `${h.nonce}`,
});
function txVector(tx: Tx) {
  const hex = hx(core.encodeTx(tx));
  same(hex, layoutTx(tx), 'transaction bytes');
  same(core.txIdHex(tx), sha256d(hex), 'transaction id');
  return { fields: txJson(tx), hex, id: sha256d(hex) };
}
function headerVector(h: BlockHeader) {
  const hex = hx(core.encodeHeader(h));
  same(hex, layoutHeader(h), 'header bytes');
  same(core.blockHashHex(h), sha256d(hex), 'block hash');
  return { fields: headerJson(h), hex, hash: sha256d(hex) };
}
function blockVector(block: Block) {
  const { hex: headerHex, hash } = headerVector(block.header);
  const txs = block.txs.map(txVector);
  const hex = hx(core.encodeBlock(block));
  same(block.txs.length < 0xfd, true, 'a one-byte transaction count');
  same(hex, headerHex + u(txs.length, 1) + txs.map((tx) => tx.hex).join(''), 'block bytes');
  if (txs.length > 0) same(hx(block.header.merkleRoot), merkle(txs.map((tx) => tx.id)), 'merkle');
  return { header: headerJson(block.header), txs: txs.map((tx) => tx.fields), hex, hash };
}

// ---- encoding.json ----
const GENESIS = core.fromHex(core.blockHashHex(core.genesisBlock(core.tutorialParams).header));
const [Z32, FF32] = [core.fromHex(ZERO32), core.fromHex('ff'.repeat(32))];
const header = (h: Partial<BlockHeader>): BlockHeader => ({
  version: 1,
  height: 1,
  prevHash: GENESIS,
  merkleRoot: Z32,
  timestampMs: core.tutorialParams.genesisTimestampMs + 5_000,
  bits: 0x1f00ffff,
  nonce: 12_345n,
  ...h,
});
const typical = signed(SK1, 1, PK2, 150_000_000n, 1_000n, 0n);
const reward = coinbase(1, 1, PK1, 50n * core.COIN + 1_000n);
const smallBlock: Block = {
  header: header({ merkleRoot: core.merkleRoot([reward, typical].map(core.hashTx)) }),
  txs: [reward, typical],
};
// biome-ignore format: one vector per line
const txCases: [string, Tx][] = [
  ['transfer: 1.5 coins, fee 1000, nonce 0, tutorial chain', typical],
  ['transfer: u64 max amount, fee and nonce; chain_id 2^32-1', signed(SK2, U32_MAX, PK1, U64_MAX, U64_MAX, U64_MAX)],
  ['transfer: zero amount, fee and nonce; chain_id 0; all-zero recipient', signed(SK_RFC, 0, ZERO32, 0n, 0n, 0n)],
  ['coinbase: height 0, 50 coins', coinbase(1, 0, PK1, 50n * core.COIN)],
  ['coinbase: height 2^32-1, u64 max amount', coinbase(2, U32_MAX, PK2, U64_MAX)],
  ['coinbase: chain_id 2^32-1, amount 0, all-zero recipient', coinbase(U32_MAX, 1, ZERO32, 0n)],
  ['coinbase of the small block: height 1, subsidy plus fee', reward],
];
// biome-ignore format: one vector per line
const headerCases: [string, BlockHeader][] = [
  ['header: height 1 on the tutorial genesis', header({ merkleRoot: core.fromHex(sha256('00')) })],
  ['header: every field zero (height 0)', header({ version: 0, height: 0, prevHash: Z32, timestampMs: 0, bits: 0, nonce: 0n })],
  ['header: every field at its maximum (height 2^32-1, timestamp 2^53-1, nonce 2^64-1)', header({
    version: U32_MAX, height: U32_MAX, prevHash: FF32, merkleRoot: FF32, timestampMs: Number.MAX_SAFE_INTEGER, bits: U32_MAX, nonce: U64_MAX })],
];
const blockCases: [string, Block][] = [
  ['block: height 1, a coinbase and a transfer (encoding only: no proof of work)', smallBlock],
  ['block: no transactions (decodes; checkBlock rejects it)', { header: header({}), txs: [] }],
];
const [txHex, cbHex] = [txVector(typical).hex, txVector(reward).hex];
const [hdrHex, blkHex] = [headerVector(headerCases[0]![1]).hex, blockVector(smallBlock).hex];
// Hex offsets are byte offsets x 2: a header's timestamp at byte 72, a block's count at 92 and
// its first transaction (a 49-byte coinbase) at 93, so the second one at 142.
same(blkHex.slice(184, 186 + 2), `02${cbHex.slice(0, 2)}`, 'count and first type byte at 92, 93');
const withTime = (ts: bigint) => hdrHex.slice(0, 144) + u(ts, 8) + hdrHex.slice(160);
const withCount = (varint: string) => blkHex.slice(0, 184) + varint + blkHex.slice(186);
// biome-ignore format: one vector per line
const invalidCases: [string, 'tx' | 'header' | 'block', string, ErrorCode][] = [
  ['tx: empty input', 'tx', '', 'ENCODING_TRUNCATED'],
  ['tx: transfer missing its last byte', 'tx', txHex.slice(0, -2), 'ENCODING_TRUNCATED'],
  ['tx: coinbase missing its last byte', 'tx', cbHex.slice(0, -2), 'ENCODING_TRUNCATED'],
  ['tx: transfer with a trailing zero byte', 'tx', `${txHex}00`, 'ENCODING_TRAILING_BYTES'],
  ['tx: type byte 0x02', 'tx', `02${txHex.slice(2)}`, 'ENCODING_UNKNOWN_TX_TYPE'],
  ['tx: type byte 0xff', 'tx', `ff${cbHex.slice(2)}`, 'ENCODING_UNKNOWN_TX_TYPE'],
  ['header: 91 bytes', 'header', hdrHex.slice(0, -2), 'ENCODING_TRUNCATED'],
  ['header: 93 bytes', 'header', `${hdrHex}00`, 'ENCODING_TRAILING_BYTES'],
  ['header: timestamp 2^53, past the largest safe integer', 'header', withTime(1n << 53n), 'ENCODING_OUT_OF_RANGE'],
  ['header: timestamp 2^64-1', 'header', withTime(U64_MAX), 'ENCODING_OUT_OF_RANGE'],
  ['block: tx count 2 written as 0xfd 0x0002', 'block', withCount('fd0002'), 'ENCODING_NON_MINIMAL'],
  ['block: tx count 2 written as 0xfe 0x00000002', 'block', withCount('fe00000002'), 'ENCODING_NON_MINIMAL'],
  ['block: tx count 2 written as 0xff + 8 bytes', 'block', withCount(`ff${u(2, 8)}`), 'ENCODING_NON_MINIMAL'],
  ['block: tx count 2^53 in the 0xff form', 'block', withCount(`ff${u(1n << 53n, 8)}`), 'ENCODING_OUT_OF_RANGE'],
  ['block: tx count 3 with 2 transactions', 'block', withCount('03'), 'ENCODING_TRUNCATED'],
  ['block: a trailing byte after the last transaction', 'block', `${blkHex}00`, 'ENCODING_TRAILING_BYTES'],
  ['block: second transaction of type 0x07', 'block', `${blkHex.slice(0, 284)}07${blkHex.slice(286)}`, 'ENCODING_UNKNOWN_TX_TYPE'],
];
const decoders = { tx: core.decodeTx, header: core.decodeHeader, block: core.decodeBlock };
for (const [what, kind, hex, code] of invalidCases) {
  const result = decoders[kind](core.fromHex(hex));
  same(result.ok ? 'ok' : result.code, code, what);
}
write(
  'encoding.json',
  'the fixed inputs in that script (keys from the secrets 0x01 x 32, 0x02 x 32 and RFC 8032 test 1); every hex re-derived from the field layout at the top of src/core/encoding/{tx,header,block}.ts with hex strings, every id and hash by node:crypto SHA-256d, every signature reproduced by node:crypto Ed25519; every invalid case is refused with the code its author expected. Kinds: transfer, coinbase (fields, hex, id); header (fields, hex, hash); block (header, txs, hex, hash); invalid (what, hex, error).',
  {
    vectors: [
      ...txCases.map(([description, tx]) => ({ kind: tx.type, description, ...txVector(tx) })),
      ...headerCases.map(([description, h]) => ({
        kind: 'header',
        description,
        ...headerVector(h),
      })),
      ...blockCases.map(([description, b]) => ({ kind: 'block', description, ...blockVector(b) })),
      ...invalidCases.map(([description, what, hex, error]) => {
        return { kind: 'invalid', description, what, hex, error };
      }),
    ],
  },
);

// ---- transactions.json ----
// biome-ignore format: one vector per line
const transferCases: [string, string, Transfer][] = [
  ['secret 0x01 x 32 pays 1 coin to key 2 on the tutorial chain', SK1, signed(SK1, 1, PK2, core.COIN, 1_000n, 0n)],
  ['secret 0x02 x 32 pays 12345 base units to key 1 on devnet, nonce 7', SK2, signed(SK2, 2, PK1, 12_345n, 1n, 7n)],
  ['RFC 8032 test 1 secret: amount + fee = 2^63-1, nonce 2^64-1', SK_RFC, signed(SK_RFC, 1, PK1, (1n << 63n) - 2n, 1n, U64_MAX)],
];
write(
  'transactions.json',
  `the fixed secret keys and transfers in that script; public keys and signatures reproduced by node:crypto (OpenSSL) Ed25519 from the same 32-byte seeds; the signing preimage (tag "blockyard/tx/v1" = ${ascii('blockyard/tx/v1')}, then the first 93 bytes of the transfer) re-derived with hex strings; ids by node:crypto SHA-256d. rfc8032_test1 (RFC 8032 section 7.1, TEST 1, empty message) anchors both Ed25519 implementations.`,
  {
    rfc8032_test1: RFC8032_TEST1,
    vectors: transferCases.map(([description, secret, tx]) => ({
      description,
      secret_key: secret,
      public_key: hx(tx.from),
      signing_preimage: hx(core.txSigningBytes(tx)),
      signature: hx(tx.signature),
      ...txVector(tx),
    })),
  },
);

// ---- addresses.json: BIP-350's reference bech32m, written out ----
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32M = 0x2bc830a3;
function polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i]!;
  }
  return chk;
}
const hrpExpand = (hrp: string) =>
  [...hrp]
    .map((c) => c.charCodeAt(0) >> 5)
    .concat(
      0,
      [...hrp].map((c) => c.charCodeAt(0) & 31),
    );
function words(hex: string): number[] {
  const out: number[] = [];
  let [acc, bits] = [0, 0];
  for (const byte of Buffer.from(hex, 'hex')) {
    [acc, bits] = [((acc << 8) | byte) & 0xfff, bits + 8];
    for (; bits >= 5; bits -= 5) out.push((acc >> (bits - 5)) & 31);
  }
  return bits > 0 ? [...out, (acc << (5 - bits)) & 31] : out;
}
function bech(hrp: string, data: number[], constant = BECH32M): string {
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const sum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...sum].map((w) => CHARSET[w]).join('')}`;
}
function checksumValid(text: string): boolean {
  const at = text.lastIndexOf('1');
  const data = [...text.slice(at + 1)].map((c) => CHARSET.indexOf(c));
  return !data.includes(-1) && polymod([...hrpExpand(text.slice(0, at)), ...data]) === BECH32M;
}
function address(key: string, prefix: string): string {
  const text = core.encodeAddress(core.fromHex(key), prefix);
  same(text, bech(prefix, words(key)), `bech32m of ${key}`);
  return text;
}
const A = address(PK1, 'tut');
const swap = [...A].findIndex((c, i) => i > 10 && c !== A[i + 1]);
const padding = words(PK1).map((w, i) => (i === 51 ? w ^ 1 : w)); // word 51: 1 data bit, 4 padding
const other = (c: string | undefined) => (c === 'q' ? 'p' : 'q');
// biome-ignore format: one vector per line; the last column: does the checksum verify?
const badAddresses: [string, string, string, ErrorCode, boolean][] = [
  ['one data character changed', `${A.slice(0, 10)}${other(A[10])}${A.slice(11)}`, 'tut', 'ADDRESS_BAD_CHECKSUM', false],
  ['one checksum character changed', `${A.slice(0, -1)}${other(A.at(-1))}`, 'tut', 'ADDRESS_BAD_CHECKSUM', false],
  ['two neighbouring characters swapped', A.slice(0, swap) + A[swap + 1] + A[swap] + A.slice(swap + 2), 'tut', 'ADDRESS_BAD_CHECKSUM', false],
  ['bech32 (BIP-173) checksum instead of bech32m', bech('tut', words(PK1), 1), 'tut', 'ADDRESS_BAD_CHECKSUM', false],
  ['devnet address given to the tutorial network', address(PK1, 'dev'), 'tut', 'ADDRESS_WRONG_NETWORK', true],
  ['tutorial address given to devnet', A, 'dev', 'ADDRESS_WRONG_NETWORK', true],
  ['a Bitcoin address (BIP-173 example)', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'tut', 'ADDRESS_WRONG_NETWORK', false],
  ['mixed case', A.slice(0, 20) + A.slice(20).toUpperCase(), 'tut', 'ADDRESS_MALFORMED', false],
  ['a character outside the bech32 alphabet (b)', `${A.slice(0, 10)}b${A.slice(11)}`, 'tut', 'ADDRESS_MALFORMED', false],
  ['punctuation', `${A.slice(0, -1)}!`, 'tut', 'ADDRESS_MALFORMED', false],
  ['no separator', A.replace('1', ''), 'tut', 'ADDRESS_MALFORMED', false],
  ['empty', '', 'tut', 'ADDRESS_MALFORMED', false],
  ['prefix and separator only', 'tut1', 'tut', 'ADDRESS_MALFORMED', false],
  ['too short: 5 data characters', 'tut1qqqqq', 'tut', 'ADDRESS_MALFORMED', false],
  ['too short: valid checksum, no key', bech('tut', []), 'tut', 'ADDRESS_MALFORMED', true],
  ['too short: valid checksum, 31-byte key', bech('tut', words(PK1.slice(0, 62))), 'tut', 'ADDRESS_MALFORMED', true],
  ['too long: valid checksum, 33-byte key', bech('tut', words(`${PK1}00`)), 'tut', 'ADDRESS_MALFORMED', true],
  ['valid checksum, non-zero padding bits', bech('tut', padding), 'tut', 'ADDRESS_MALFORMED', true],
  ['longer than 90 characters', `tut1${'q'.repeat(87)}`, 'tut', 'ADDRESS_MALFORMED', false],
];
// biome-ignore format: one vector per line
const goodAddresses: [string, string, string][] = [
  ['key of secret 0x01 x 32', PK1, 'tut'], ['the same key on devnet', PK1, 'dev'],
  ['key of secret 0x02 x 32', PK2, 'tut'], ['RFC 8032 test 1 key', PK_RFC, 'dev'],
  ['all-zero key', ZERO32, 'tut'], ['all-ones key', 'ff'.repeat(32), 'dev'],
];
const parsedKey = (text: string, prefix: string) => {
  const parsed = core.parseAddress(text, prefix);
  return parsed.ok ? hx(parsed.value) : parsed.code;
};
const addressVectors: Json[] = [];
for (const [description, key, prefix] of goodAddresses) {
  const text = address(key, prefix);
  same(parsedKey(text, prefix), key, description);
  addressVectors.push({ kind: 'valid', description, public_key: key, prefix, address: text });
}
const variants = { 'all upper case': A.toUpperCase(), 'surrounded by white space': ` ${A}\n` };
for (const [description, text] of Object.entries(variants)) {
  same(parsedKey(text, 'tut'), PK1, description);
  addressVectors.push({
    kind: 'accepted',
    description,
    public_key: PK1,
    prefix: 'tut',
    address: text,
  });
}
for (const [description, text, prefix, error, verifies] of badAddresses) {
  same(parsedKey(text, prefix), error, description);
  if (/^[a-z]+1[a-z0-9]{6,}$/.test(text))
    same(checksumValid(text), verifies, `${description}: checksum`);
  addressVectors.push({ kind: 'invalid', description, prefix, address: text, error });
}
write(
  'addresses.json',
  "the fixed keys in that script; every valid address re-encoded by BIP-350's reference bech32m written out in that script, which also confirms which invalid cases carry a valid checksum (wrong network, wrong key length, non-zero padding). Kinds: valid (encodeAddress and parseAddress), accepted (parseAddress only), invalid (parseAddress fails with error).",
  { vectors: addressVectors },
);

// ---- merkle.json ----
const leaf = (i: number) => sha256(ascii(`leaf ${i}`));
const leaves = (n: number) => Array.from({ length: n }, (_, i) => leaf(i));
const merkleCases: [string, string[]][] = [
  ...[1, 2, 3, 4, 5, 7, 8].map((n): [string, string[]] => [
    `${n} leaf${n > 1 ? 's' : ''}`,
    leaves(n),
  ]),
  ['CVE-2012-2459: [a, b, c, c], whose root differs from [a, b, c]', [...leaves(3), leaf(2)]],
  ['CVE-2012-2459: [a, b, c, d, e, e], whose root differs from [a..e]', [...leaves(5), leaf(4)]],
];
same(merkle(leaves(3)) === merkle([...leaves(3), leaf(2)]), false, 'CVE-2012-2459');
write(
  'merkle.json',
  'leaf i is the SHA-256 of the ASCII text "leaf i" (i = 0, 1, 2, ...); every root re-derived in that script with node:crypto: SHA-256d(left || right) level by level, an odd last node carried up unchanged.',
  {
    vectors: merkleCases.map(([description, ids]) => {
      const root = hx(core.merkleRoot(ids.map(core.fromHex)));
      same(root, merkle(ids), description);
      return { description, leaves: ids, root };
    }),
  },
);

// ---- bits.json: Bitcoin Core's arith_uint256 SetCompact / GetCompact and GetBlockProof ----
function setCompact(bits: number) {
  const size = bits >>> 24;
  const mantissa = (bits & 0x7fffff).toString(16).padStart(6, '0');
  const target = BigInt(
    `0x0${size >= 3 ? mantissa + '00'.repeat(size - 3) : mantissa.slice(0, 2 * size)}`,
  );
  const word = size >= 3 ? bits & 0x7fffff : Number(target);
  const overflow =
    word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, overflow, negative: word !== 0 && (bits & 0x800000) !== 0 };
}
function getCompact(target: bigint): number {
  let size = Math.ceil((target === 0n ? 0 : target.toString(2).length) / 8);
  let word = Number(
    size <= 3 ? target << BigInt(8 * (3 - size)) : target >> BigInt(8 * (size - 3)),
  );
  if (word & 0x800000) [word, size] = [word >> 8, size + 1];
  return ((size << 24) | word) >>> 0;
}
const blockProof = (target: bigint) => (MAX_256 ^ target) / (target + 1n) + 1n;
// biome-ignore format: Bitcoin Core src/test/arith_uint256_tests.cpp: bits, GetHex (null: overflow), GetCompact of the magnitude
const bitcoinCore: [number, string | null, number][] = [
  [0x00000000, '0', 0], [0x00123456, '0', 0], [0x01003456, '0', 0], [0x02000056, '0', 0], [0x03000000, '0', 0],
  [0x04000000, '0', 0], [0x00923456, '0', 0], [0x01803456, '0', 0], [0x02800056, '0', 0], [0x03800000, '0', 0],
  [0x04800000, '0', 0], [0x01123456, '12', 0x01120000], [0x01fedcba, '7e', 0x017e0000], [0x02123456, '1234', 0x02123400],
  [0x03123456, '123456', 0x03123456], [0x04123456, '12345600', 0x04123456], [0x04923456, '12345600', 0x04123456],
  [0x05009234, '92340000', 0x05009234], [0x20123456, `123456${'00'.repeat(29)}`, 0x20123456], [0xff123456, null, 0],
];
for (const [bits, target, compact] of bitcoinCore) {
  const mine = core.decodeBits(bits);
  same(mine.overflow, target === null, `${b4(bits)}: overflow as Bitcoin Core`);
  if (target !== null)
    same(mine.target, BigInt(`0x${target}`), `${b4(bits)}: target as Bitcoin Core`);
  if (target !== null) same(core.encodeBits(mine.target), compact, `${b4(bits)}: as Bitcoin Core`);
}
same(core.encodeBits(0x80n), 0x02008000, 'Bitcoin Core: GetCompact(0x80)');
same(core.workFromBits(0x1d00ffff), 0x100010001n, "Bitcoin mainnet genesis's chainwork");
same(core.workFromBits(0x207fffff), 2n, 'Bitcoin regtest work per block');
// NOTE: decodeBits calls these negative and Bitcoin Core does not (its sign test looks at the
// mantissa after the shift, which is zero). Both refuse them, so only the flag differs.
const NEGATIVE_NOT_IN_BITCOIN: number[] = [];
const LIMIT = 0x207fffff;
// biome-ignore format: one vector per line
const bitsCases: [number, number, string][] = [
  [0x1d00ffff, LIMIT, "Bitcoin's genesis difficulty"], [0x1e00ffff, LIMIT, 'devnet genesis'],
  [0x1f00ffff, LIMIT, 'tutorial and devnet powLimit'], [0x207fffff, LIMIT, 'regtest-style easiest target'],
  [0x1d00ffff, 0x1d00ffff, 'equal to powLimit'], [0x1f00ffff, 0x1e00ffff, 'easier than powLimit'],
  [0x1e00ffff, 0x1f00ffff, 'harder than powLimit'], [0x2100ffff, LIMIT, 'a 256-bit target, top bit set'],
  [0x2100ffff, 0x2100ffff, 'the easiest canonical bits, as its own powLimit'],
  [0x220000ff, 0x2100ffff, 'exponent 34 without overflow, not canonical'],
  ...bitcoinCore.map(([bits]): [number, number, string] => [bits, LIMIT, 'Bitcoin Core test input']),
  [0x02008000, LIMIT, 'target 0x80: the sign bit forces exponent 2'], [0x01120000, LIMIT, 'target 0x12'],
  [0x1f0000ff, LIMIT, 'not canonical: a zero leading byte'], [0x200000ff, LIMIT, 'not canonical'],
  [0x21010000, LIMIT, 'overflow: exponent 33, mantissa > 0xffff'], [0x22000100, LIMIT, 'overflow: exponent 34, mantissa > 0xff'],
];
const bitsVectors: Json[] = bitsCases.map(([bits, powLimit, description]) => {
  const [d, ref] = [core.decodeBits(bits), setCompact(bits)];
  same(d.target, ref.target, `${b4(bits)} target`);
  same(d.overflow, ref.overflow, `${b4(bits)} overflow`);
  same(d.negative, ref.negative !== NEGATIVE_NOT_IN_BITCOIN.includes(bits), `${b4(bits)} negative`);
  const wellFormed = !d.negative && !d.overflow && d.target > 0n;
  const canonical = wellFormed && getCompact(d.target) === bits;
  const result = core.targetFromBits(bits, powLimit);
  same(result.ok, canonical && d.target <= setCompact(powLimit).target, `${b4(bits)} accepted`);
  if (!d.overflow) same(core.encodeBits(d.target), getCompact(d.target), `${b4(bits)} re-encoded`);
  if (wellFormed) same(core.workFromBits(bits), blockProof(d.target), `${b4(bits)} work`);
  return {
    kind: 'bits',
    description,
    bits: b4(bits),
    pow_limit_bits: b4(powLimit),
    target: d.overflow ? null : u(d.target, 32),
    negative: d.negative,
    overflow: d.overflow,
    reencoded_bits: d.overflow ? null : b4(core.encodeBits(d.target)),
    work: wellFormed ? `${core.workFromBits(bits)}` : null,
    error: result.ok ? null : result.code,
  };
});
// biome-ignore format: one vector per line
const targetCases: [bigint, string][] = [
  [0n, 'zero'], [1n, 'one'], [0x7fn, '0x7f'], [0x80n, '0x80: sign bit'], [0x7fffffn, '0x7fffff'],
  [0x800000n, '0x800000: sign bit'], [0x123456789an, 'rounds down to 3 significant bytes'],
  [(0xffffn << 208n) + 1n, "just above Bitcoin's genesis target"], [MAX_256, '2^256 - 1'],
];
for (const [target, description] of targetCases) {
  same(core.encodeBits(target), getCompact(target), `encodeBits: ${description}`);
  bitsVectors.push({
    kind: 'target',
    description,
    target: u(target, 32),
    bits: b4(getCompact(target)),
  });
}
write(
  'bits.json',
  "the bits and targets listed in that script; targets, overflow, canonical form and acceptance re-derived by Bitcoin Core's SetCompact/GetCompact written out there with hex strings, work by Bitcoin's GetBlockProof (~target / (target + 1) + 1), and the expected values of Bitcoin Core's src/test/arith_uint256_tests.cpp checked. Kinds: bits (decodeBits; reencoded_bits = encodeBits(target); work = workFromBits when well-formed, else null; targetFromBits(bits, pow_limit_bits) fails with error, or succeeds when error is null), target (encodeBits).",
  { vectors: bitsVectors },
);

// ---- retarget.json ----
const regtestLike = core.customParams(core.devnetParams, {
  name: 'regtest-like',
  powLimitBits: 0x207fffff,
  genesisBits: 0x207fffff,
  retarget: { intervalBlocks: 10, targetBlockTimeMs: 1_000 },
});
const retargetNetworks = { devnet: core.devnetParams, tutorial: core.tutorialParams, regtestLike };
const T0 = core.devnetParams.genesisTimestampMs + 1_000_000;
// biome-ignore format: one vector per line; actual timespan null: not a retarget height
const retargetCases: [keyof typeof retargetNetworks, number, number, number | null, string][] = [
  ['devnet', 40, 0x1e00ffff, 100_000, 'first retarget height, on schedule: unchanged'],
  ['devnet', 40, 0x1e00ffff, 50_000, 'twice as fast: target halves'],
  ['devnet', 60, 0x1e00ffff, 200_000, 'twice as slow: target doubles'],
  ['devnet', 80, 0x1e00ffff, 25_000, 'exactly 1/4 of expected'],
  ['devnet', 80, 0x1e00ffff, 10_000, 'faster than 1/4: clamped to 1/4'],
  ['devnet', 80, 0x1e00ffff, -5_000, 'negative timespan: clamped to 1/4'],
  ['devnet', 100, 0x1e00ffff, 400_000, 'exactly 4 x expected'],
  ['devnet', 100, 0x1e00ffff, 1_000_000, 'slower than 4 x: clamped to 4 x'],
  ['devnet', 120, 0x1e7fffff, 400_000, '4 x would pass powLimit: capped at powLimit'],
  ['devnet', 140, 0x1f00ffff, 200_000, 'at powLimit and slow: stays at powLimit'],
  ['devnet', 160, 0x1d00ffff, 123_457, 'odd timespan: integer division, then 3 significant bytes'],
  ['devnet', 41, 0x1d00ffff, null, 'not a multiple of the interval: parent bits'],
  ['devnet', 20, 0x1d00ffff, null, 'a multiple of the interval below 2 x interval: parent bits'],
  ['devnet', 0, 0x1d00ffff, null, 'height 0: genesis bits'],
  ['tutorial', 40, 0x1d00ffff, null, 'no retargeting (fixed difficulty): genesis bits'],
  ['regtestLike', 20, 0x207fffff, 40_000, 'slowest at the easiest target: capped at powLimit'],
  ['regtestLike', 20, 0x207fffff, 1_000, 'fastest at the easiest target'],
  ['regtestLike', 30, 0x01010000, 1_000, 'target 1, 4 x too fast: 1/4 rounds to 0, kept at 1'],
];
const retargetVectors = retargetCases.map(([network, height, parent, actual, description]) => {
  const params: NetworkParams = retargetNetworks[network];
  const rule = params.retarget;
  const expectedMs = rule && rule.intervalBlocks * rule.targetBlockTimeMs;
  const window =
    actual === null || rule === null
      ? null
      : {
          first_height: height - 1 - rule.intervalBlocks,
          first_timestamp_ms: T0,
          last_height: height - 1,
          last_timestamp_ms: T0 + actual,
        };
  const timestampAt = (h: number): number => {
    if (h === window?.first_height) return window.first_timestamp_ms;
    if (h === window?.last_height) return window.last_timestamp_ms;
    throw new Error(`retarget: ${description}: nextBits read the timestamp of height ${h}`);
  };
  const next = core.nextBits(params, { height, parentBits: parent, timestampAt });
  let reference = height === 0 || rule === null ? params.genesisBits : parent;
  if (actual !== null && expectedMs !== null) {
    const clamped = Math.min(Math.max(actual, Math.floor(expectedMs / 4)), expectedMs * 4);
    const limit = setCompact(params.powLimitBits).target;
    const target = (setCompact(parent).target * BigInt(clamped)) / BigInt(expectedMs);
    reference = getCompact(target > limit ? limit : target < 1n ? 1n : target);
  }
  same(b4(next), b4(reference), `retarget: ${description}`);
  return {
    description,
    network: params.name,
    height,
    parent_bits: b4(parent),
    params: {
      interval_blocks: rule?.intervalBlocks ?? null,
      target_block_time_ms: rule?.targetBlockTimeMs ?? null,
      pow_limit_bits: b4(params.powLimitBits),
      genesis_bits: b4(params.genesisBits),
    },
    window,
    actual_timespan_ms: actual,
    expected_timespan_ms: window && expectedMs,
    next_bits: b4(next),
  };
});
write(
  'retarget.json',
  "the heights, parent bits and timestamps listed in that script, on devnet, tutorial, and regtest-like = customParams(devnetParams, ...) with the params each vector lists; every result re-derived in that script from the rule at the top of src/core/retarget.ts (clamp to [expected / 4, 4 x expected], integer division, cap at powLimit, at least 1) with Bitcoin Core's SetCompact/GetCompact. window null: nextBits must read no timestamp.",
  { vectors: retargetVectors },
);

// ---- genesis.json ----
write(
  'genesis.json',
  'genesisBlock(params) of each shipped network; the coinbase recipient re-derived as node:crypto SHA-256 of "blockyard genesis: <name>", the merkle root as the coinbase id, the bytes from the field layout with hex strings, the hash by node:crypto SHA-256d and checked against the genesis target.',
  {
    vectors: [core.tutorialParams, core.devnetParams].map((params) => {
      const block = core.genesisBlock(params);
      const [coinbase, b] = [txVector(block.txs[0]!), blockVector(block)];
      same(b.txs.length, 1, 'genesis has one transaction');
      same(coinbase.fields.to, sha256(ascii(`blockyard genesis: ${params.name}`)), 'recipient');
      same(b.header.merkle_root, coinbase.id, 'genesis merkle root');
      same(BigInt(`0x${b.hash}`) <= setCompact(params.genesisBits).target, true, 'genesis work');
      return {
        network: params.name,
        chain_id: params.chainId,
        coinbase: coinbase.fields,
        coinbase_hex: coinbase.hex,
        coinbase_id: coinbase.id,
        header: b.header,
        header_hex: headerVector(block.header).hex,
        block_hex: b.hex,
        hash: b.hash,
      };
    }),
  },
);
