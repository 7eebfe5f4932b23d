/**
 * The core against the frozen vectors in test/vectors/*.json (written by scripts/makeVectors.ts).
 * A failure here means the protocol changed: fix the code, or regenerate on purpose and review.
 * Checked independently of the core as well: every SHA-256d by node:crypto, every signature
 * reproduced by node:crypto and verified by both node:crypto and noble.
 */
import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  BlockHeader,
  Result,
  SignatureVerifier,
  Transfer,
  Tx,
} from '../../../src/core/index.js';
import * as core from '../../../src/core/index.js';
import * as signing from '../../../src/core/nobleEd25519.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { codeOf } from '../../support/codeOf.js';

type TxFields = { type: 'transfer' | 'coinbase'; chain_id: number; to: string; amount: string } & {
  height?: number; // coinbase only; the rest transfer only
} & Partial<Record<'from' | 'fee' | 'nonce' | 'signature', string>>;
type HeaderFields = Record<'version' | 'height' | 'timestamp_ms', number> &
  Record<'prev_hash' | 'merkle_root' | 'bits' | 'nonce', string>;

function load<V>(file: string): { produced_by: string; vectors: V[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../vectors/${file}`, import.meta.url), 'utf8'));
}
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const sha256d = (hex: string) => sha256(sha256(Buffer.from(hex, 'hex'))).toString('hex');
const bitsOf = (hex: string) => Number.parseInt(hex, 16);
const nodeSignHex = (secret: string, message: string) => {
  const der = Buffer.from(`302e020100300506032b657004220420${secret}`, 'hex'); // PKCS#8 seed
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return nodeSign(null, Buffer.from(message, 'hex'), key).toString('hex');
};
function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.detail}`);
  return result.value;
}
const { fromHex, toHex } = core;

function txFrom(f: TxFields): Tx {
  const common = { chainId: f.chain_id, to: fromHex(f.to), amount: BigInt(f.amount) };
  if (f.type === 'coinbase') return { type: 'coinbase', height: f.height!, ...common };
  if (f.type !== 'transfer') throw new Error(`unknown transaction type ${f.type}`);
  const [from, fee, nonce] = [fromHex(f.from!), BigInt(f.fee!), BigInt(f.nonce!)];
  return { type: 'transfer', ...common, from, fee, nonce, signature: fromHex(f.signature!) };
}
const headerFrom = (f: HeaderFields): BlockHeader => ({
  version: f.version,
  height: f.height,
  prevHash: fromHex(f.prev_hash),
  merkleRoot: fromHex(f.merkle_root),
  timestampMs: f.timestamp_ms,
  bits: bitsOf(f.bits),
  nonce: BigInt(f.nonce),
});

const files = ['encoding', 'transactions', 'addresses', 'merkle', 'bits', 'retarget', 'genesis'];
it.each(files)('%s.json says how it was produced and holds vectors', (name) => {
  const file = load<unknown>(`${name}.json`);
  expect(file.produced_by).toMatch(/^npx tsx scripts\/makeVectors\.ts \(npm run vectors\); ./);
  expect(file.vectors.length).toBeGreaterThan(0);
});

describe('encoding.json', () => {
  type V = Record<'description' | 'hex' | 'id' | 'hash' | 'error', string> & {
    kind: 'transfer' | 'coinbase' | 'header' | 'block' | 'invalid';
    fields: TxFields & HeaderFields;
    header: HeaderFields;
    txs: TxFields[];
    what: 'tx' | 'header' | 'block';
  };
  const vectors = load<V>('encoding.json').vectors;
  const of = (...kinds: V['kind'][]) => vectors.filter((v) => kinds.includes(v.kind));

  it.each(of('transfer', 'coinbase'))('$description', (v) => {
    const tx = txFrom(v.fields);
    expect(toHex(core.encodeTx(tx))).toBe(v.hex);
    expect(core.txIdHex(tx)).toBe(v.id);
    expect(sha256d(v.hex)).toBe(v.id);
    const decoded = value(core.decodeTx(fromHex(v.hex)));
    expect(decoded).toEqual(tx);
    expect(toHex(core.encodeTx(decoded))).toBe(v.hex);
  });

  it.each(of('header'))('$description', (v) => {
    const header = headerFrom(v.fields);
    expect(toHex(core.encodeHeader(header))).toBe(v.hex);
    expect(core.blockHashHex(header)).toBe(v.hash);
    expect(sha256d(v.hex)).toBe(v.hash);
    const decoded = value(core.decodeHeader(fromHex(v.hex)));
    expect(decoded).toEqual(header);
    expect(toHex(core.encodeHeader(decoded))).toBe(v.hex);
  });

  it.each(of('block'))('$description', (v) => {
    const block = { header: headerFrom(v.header), txs: v.txs.map(txFrom) };
    expect(toHex(core.encodeBlock(block))).toBe(v.hex);
    expect(core.blockHashHex(block.header)).toBe(v.hash);
    expect(sha256d(v.hex.slice(0, 2 * core.HEADER_SIZE))).toBe(v.hash);
    if (block.txs.length > 0) {
      const root = core.merkleRoot(block.txs.map(core.hashTx));
      expect(toHex(root)).toBe(v.header.merkle_root);
    }
    const decoded = value(core.decodeBlock(fromHex(v.hex)));
    expect(decoded).toEqual(block);
    expect(toHex(core.encodeBlock(decoded))).toBe(v.hex);
  });

  const decoders = { tx: core.decodeTx, header: core.decodeHeader, block: core.decodeBlock };
  it.each(of('invalid'))('refuses $description with $error', (v) => {
    expect(codeOf(decoders[v.what](fromHex(v.hex)))).toBe(v.error);
  });

  it('writes 252 transactions with a 1-byte count and 253 with 0xfd + 2 bytes', () => {
    const coinbase = txFrom(of('coinbase')[0]!.fields);
    const header = headerFrom(of('header')[0]!.fields);
    for (const [count, varint] of [
      [252, 'fc'],
      [253, 'fd00fd'],
    ] as const) {
      const hex = toHex(core.encodeBlock({ header, txs: Array(count).fill(coinbase) }));
      expect(hex.slice(2 * core.HEADER_SIZE, 2 * core.HEADER_SIZE + varint.length)).toBe(varint);
      expect(value(core.decodeBlock(fromHex(hex))).txs).toHaveLength(count);
    }
  });
});

describe('transactions.json', () => {
  type V = Record<'description' | 'secret_key' | 'public_key' | 'hex' | 'id', string> &
    Record<'signing_preimage' | 'signature', string> & { fields: TxFields };
  const file = load<V>('transactions.json');
  const node = createNodeVerifier();
  const verifiers: [string, SignatureVerifier][] = [
    ['node:crypto', node.verify],
    ['noble', signing.nobleVerify],
  ];

  it('both Ed25519 implementations reproduce RFC 8032 test 1', async () => {
    const rfc = file.rfc8032_test1 as Record<'secret_key' | 'public_key' | 'signature', string>;
    const [secret, publicKey, signature] = [rfc.secret_key, rfc.public_key, rfc.signature];
    const empty = new Uint8Array(0);
    expect(toHex(signing.publicKeyFromSecret(fromHex(secret)))).toBe(publicKey);
    expect(toHex(signing.signMessage(empty, fromHex(secret)))).toBe(signature);
    expect(nodeSignHex(secret, '')).toBe(signature);
    for (const [name, verify] of verifiers) {
      expect(verify(fromHex(publicKey), empty, fromHex(signature)), name).toBe(true);
    }
    expect(await node.verifyAsync(fromHex(publicKey), empty, fromHex(signature))).toBe(true);
  });

  it.each(file.vectors)('$description', (v) => {
    const tx = txFrom(v.fields) as Transfer;
    const secret = fromHex(v.secret_key);
    expect(toHex(signing.publicKeyFromSecret(secret))).toBe(v.public_key);
    expect(toHex(tx.from)).toBe(v.public_key);
    const preimage = core.txSigningBytes(tx);
    expect(toHex(preimage)).toBe(v.signing_preimage);
    expect(v.signing_preimage).toBe(
      Buffer.from('blockyard/tx/v1').toString('hex') + v.hex.slice(0, 186),
    );
    const { signature: _, ...unsigned } = tx;
    expect(toHex(signing.signTransfer(unsigned, secret).signature)).toBe(v.signature);
    expect(nodeSignHex(v.secret_key, v.signing_preimage)).toBe(v.signature);
    for (const [name, verify] of verifiers) {
      expect(verify(tx.from, preimage, tx.signature), name).toBe(true);
      expect(core.verifyTransfer(tx, verify), name).toBe(true);
      expect(core.verifyTransfer({ ...tx, fee: tx.fee ^ 1n }, verify), name).toBe(false);
      expect(core.verifyTransfer({ ...tx, chainId: tx.chainId ^ 1 }, verify), name).toBe(false);
    }
    expect(toHex(core.encodeTx(tx))).toBe(v.hex);
    expect(core.txIdHex(tx)).toBe(v.id);
    expect(sha256d(v.hex)).toBe(v.id);
  });
});

describe('addresses.json', () => {
  type V = Record<'description' | 'public_key' | 'prefix' | 'address' | 'error', string> & {
    kind: 'valid' | 'accepted' | 'invalid';
  };

  it.each(load<V>('addresses.json').vectors)('$kind: $description ($prefix)', (v) => {
    const parsed = core.parseAddress(v.address, v.prefix);
    if (v.kind === 'invalid') {
      expect(codeOf(parsed)).toBe(v.error);
      return;
    }
    expect(toHex(value(parsed))).toBe(v.public_key);
    if (v.kind === 'valid') {
      expect(core.encodeAddress(fromHex(v.public_key), v.prefix)).toBe(v.address);
    }
  });
});

describe('merkle.json', () => {
  const vectors = load<{ description: string; leaves: string[]; root: string }>(
    'merkle.json',
  ).vectors;
  function nodeRoot(ids: string[]): string {
    if (ids.length === 1) return ids[0]!;
    const pairs = Array.from({ length: Math.ceil(ids.length / 2) }, (_, i) =>
      ids.slice(2 * i, 2 * i + 2),
    );
    return nodeRoot(pairs.map((pair) => (pair.length === 2 ? sha256d(pair.join('')) : pair[0]!)));
  }

  it.each(vectors)('$description', (v) => {
    const rule = v.leaves.map((_, i) => sha256(`leaf ${i}`).toString('hex'));
    expect(v.leaves.every((leaf) => rule.includes(leaf))).toBe(true);
    expect(toHex(core.merkleRoot(v.leaves.map(fromHex)))).toBe(v.root);
    expect(nodeRoot(v.leaves)).toBe(v.root);
  });

  it('gives [..., x, x] a root other than [..., x] (CVE-2012-2459)', () => {
    const doubled = vectors.filter((v) => v.leaves.at(-1) === v.leaves.at(-2));
    expect(doubled.length).toBeGreaterThanOrEqual(2);
    for (const v of doubled) {
      const shorter = vectors.find((s) => s.leaves.join() === v.leaves.slice(0, -1).join());
      expect(shorter?.root).toMatch(/^[0-9a-f]{64}$/);
      expect(shorter?.root).not.toBe(v.root);
    }
  });
});

describe('bits.json', () => {
  type V = Record<'description' | 'bits' | 'pow_limit_bits', string> &
    Record<'target' | 'reencoded_bits' | 'work' | 'error', string | null> & {
      kind: 'bits' | 'target';
      negative: boolean;
      overflow: boolean;
    };
  const vectors = load<V>('bits.json').vectors;

  it.each(vectors.filter((v) => v.kind === 'bits'))(
    '$bits under $pow_limit_bits: $description',
    (v) => {
      const bits = bitsOf(v.bits);
      const { target, negative, overflow } = core.decodeBits(bits);
      expect({ negative, overflow }).toEqual({ negative: v.negative, overflow: v.overflow });
      if (v.target !== null) expect(target).toBe(BigInt(`0x${v.target}`));
      if (v.reencoded_bits !== null) expect(core.encodeBits(target)).toBe(bitsOf(v.reencoded_bits));
      if (v.work !== null) expect(core.workFromBits(bits)).toBe(BigInt(v.work));
      const result = core.targetFromBits(bits, bitsOf(v.pow_limit_bits));
      expect(result.ok ? null : result.code).toBe(v.error);
      if (result.ok) expect([result.value, v.reencoded_bits]).toEqual([target, v.bits]);
    },
  );

  it.each(vectors.filter((v) => v.kind === 'target'))('encodes the target $description', (v) => {
    const target = BigInt(`0x${v.target}`);
    expect(core.encodeBits(target)).toBe(bitsOf(v.bits));
    expect(core.decodeBits(bitsOf(v.bits)).target <= target).toBe(true);
  });
});

describe('retarget.json', () => {
  type Window = Record<`${'first' | 'last'}_${'height' | 'timestamp_ms'}`, number>;
  type V = Record<'description' | 'network' | 'parent_bits' | 'next_bits', string> & {
    height: number;
    params: Record<'interval_blocks' | 'target_block_time_ms', number | null> &
      Record<'pow_limit_bits' | 'genesis_bits', string>;
    window: Window | null;
  } & Record<'actual_timespan_ms' | 'expected_timespan_ms', number | null>;

  it.each(load<V>('retarget.json').vectors)('$network at $height: $description', (v) => {
    const { interval_blocks: interval, target_block_time_ms: blockTimeMs } = v.params;
    const params = core.customParams(core.devnetParams, {
      powLimitBits: bitsOf(v.params.pow_limit_bits),
      genesisBits: bitsOf(v.params.genesis_bits),
      retarget:
        interval === null || blockTimeMs === null
          ? null
          : { intervalBlocks: interval, targetBlockTimeMs: blockTimeMs },
    });
    // A shipped network's vectors must describe its real params; regtest-like is made up.
    if (v.network !== 'regtest-like') {
      const { powLimitBits, genesisBits, retarget } = core.networks[v.network as 'devnet'];
      expect({ powLimitBits, genesisBits, retarget }).toEqual({
        powLimitBits: params.powLimitBits,
        genesisBits: params.genesisBits,
        retarget: params.retarget,
      });
    }
    const w = v.window;
    const timespansMs = [v.actual_timespan_ms, v.expected_timespan_ms];
    if (w === null) expect(timespansMs).toEqual([null, null]);
    else
      expect(timespansMs).toEqual([
        w.last_timestamp_ms - w.first_timestamp_ms,
        interval! * blockTimeMs!,
      ]);
    const timestampAt = (height: number): number => {
      if (w?.first_height === height) return w.first_timestamp_ms;
      if (w?.last_height === height) return w.last_timestamp_ms;
      throw new Error(`nextBits read the timestamp of height ${height}`);
    };
    const parentBits = bitsOf(v.parent_bits);
    expect(core.nextBits(params, { height: v.height, parentBits, timestampAt })).toBe(
      bitsOf(v.next_bits),
    );
  });
});

describe('genesis.json', () => {
  type V = Record<'coinbase_hex' | 'coinbase_id' | 'header_hex' | 'block_hex' | 'hash', string> & {
    network: keyof typeof core.networks;
    chain_id: number;
    coinbase: TxFields;
    header: HeaderFields;
  };

  it.each(load<V>('genesis.json').vectors)('$network', (v) => {
    const params = core.networks[v.network];
    const block = core.genesisBlock(params);
    expect(params.chainId).toBe(v.chain_id);
    expect(block.txs).toEqual([txFrom(v.coinbase)]);
    expect(toHex(core.encodeTx(block.txs[0]!))).toBe(v.coinbase_hex);
    expect(sha256d(v.coinbase_hex)).toBe(v.coinbase_id);
    expect(v.coinbase.to).toBe(sha256(`blockyard genesis: ${v.network}`).toString('hex'));
    expect(block.header).toEqual(headerFrom(v.header));
    expect(v.header.merkle_root).toBe(v.coinbase_id);
    expect(toHex(core.encodeHeader(block.header))).toBe(v.header_hex);
    expect(core.blockHashHex(block.header)).toBe(v.hash);
    expect(sha256d(v.header_hex)).toBe(v.hash);
    const target = value(core.targetFromBits(params.genesisBits, params.powLimitBits));
    expect(core.hashMeetsTarget(fromHex(v.hash), target)).toBe(true);
    expect(toHex(core.encodeBlock(block))).toBe(v.block_hex);
    expect(value(core.decodeBlock(fromHex(v.block_hex)))).toEqual(block);
  });
});
