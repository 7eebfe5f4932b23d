import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockFromJson,
  blockHashHex,
  blockToJson,
  encodeAddress,
  encodeTx,
  type TransferJson,
  toHex,
  txFromJson,
  txFromJsonEncoded,
  txIdHex,
  txToJson,
} from '../../../src/core/index.js';
import { codeOf } from '../../support/codeOf.js';
import { easyParams, KEYS, PropertyChain, signedTransfer } from '../../support/propertyChains.js';

const params = easyParams();
const transfer = signedTransfer(params, 0, 1, 123_456_789n, 1000n, 7n);
const chain = new PropertyChain(params);
chain.append(chain.mine([], { miner: 0 }));
const block: Block = chain.mine([signedTransfer(params, 0, 2, 5n, 1n, 0n)], { miner: 1 });
const coinbase = block.txs[0]!;

const viaText = <T>(json: T): unknown => JSON.parse(JSON.stringify(json));
const transferJson = () => txToJson(transfer, params) as TransferJson;
const tx = (changes: Record<string, unknown>) =>
  codeOf(txFromJson({ ...transferJson(), ...changes }, params));

/** The address with one data character replaced by another bech32 character. */
function mistyped(address: string): string {
  const i = address.length - 10;
  return address.slice(0, i) + (address[i] === 'q' ? 'p' : 'q') + address.slice(i + 1);
}

describe('transaction JSON', () => {
  it('round-trips transfers and coinbases, through text too', () => {
    for (const original of [transfer, coinbase]) {
      const json = txToJson(original, params);
      expect(json.id).toBe(txIdHex(original));
      expect(txFromJson(json, params)).toEqual({ ok: true, value: original });
      expect(txFromJson(viaText(json), params)).toEqual({ ok: true, value: original });
      const { id: _, ...withoutId } = json;
      expect(txFromJson(withoutId, params)).toEqual({ ok: true, value: original });
    }
  });

  it('gives the encoding, and the id it checked (the hash of that encoding) only when the view had one', () => {
    const json = txToJson(transfer, params);
    const read = txFromJsonEncoded(viaText(json), params);
    expect(read).toEqual({
      ok: true,
      value: { tx: transfer, bytes: encodeTx(transfer), idHex: txIdHex(transfer) },
    });
    const { id: _, ...withoutId } = json;
    const unhashed = txFromJsonEncoded(withoutId, params);
    expect(unhashed.ok && 'idHex' in unhashed.value).toBe(false);
    expect(unhashed.ok && toHex(unhashed.value.bytes)).toBe(toHex(encodeTx(transfer)));
  });

  it('writes money and nonces as decimal strings and addresses with the prefix', () => {
    expect(transferJson()).toMatchObject({
      amount: '123456789',
      fee: '1000',
      nonce: '7',
      from: encodeAddress(KEYS[0]!, 'tut'),
    });
  });

  it('accepts safe integers for money and the largest u64 as a string', () => {
    expect(tx({ id: undefined, amount: 5, fee: 1, nonce: 0 })).toBe('ok');
    expect(tx({ id: undefined, nonce: '18446744073709551615' })).toBe('ok');
  });

  it.each([
    ['a fraction', { amount: 1.5 }],
    ['a negative', { fee: -1 }],
    ['an exponent', { amount: '1e5' }],
    ['a leading zero', { amount: '01' }],
    ['an unsafe number', { amount: 2 ** 53 }],
    ['2^64', { nonce: '18446744073709551616' }],
    ['a missing amount', { amount: undefined }],
    ['chain_id as a string', { chain_id: '1' }],
    ['a negative chain_id', { chain_id: -1 }],
    ['a short signature', { signature: 'ab'.repeat(63) }],
    ['a non-hex signature', { signature: 'zz'.repeat(64) }],
    ['an unknown type', { type: 'mint' }],
    ['an unknown field', { memo: 'hi' }],
    ['a coinbase field', { height: 1 }],
    ['an address that is not a string', { to: 42 }],
    ['the id of another transaction', { id: txIdHex(coinbase) }],
    ['an id of the wrong form', { id: 'xyz' }],
  ])('refuses %s with JSON_INVALID_FIELD', (_, changes) => {
    expect(tx(changes)).toBe('JSON_INVALID_FIELD');
  });

  it('refuses what is not an object', () => {
    for (const json of [null, [], 'transfer', 1, undefined]) {
      expect(codeOf(txFromJson(json, params))).toBe('JSON_INVALID_FIELD');
    }
  });

  it('keeps the address codes: bad checksum, wrong network, malformed', () => {
    expect(tx({ to: mistyped(transferJson().to) })).toBe('ADDRESS_BAD_CHECKSUM');
    expect(tx({ from: mistyped(transferJson().from) })).toBe('ADDRESS_BAD_CHECKSUM');
    expect(tx({ to: encodeAddress(KEYS[1]!, 'dev') })).toBe('ADDRESS_WRONG_NETWORK');
    expect(tx({ to: 'not an address' })).toBe('ADDRESS_MALFORMED');
  });
});

describe('block JSON', () => {
  it('round-trips a mined block, through text too', () => {
    const json = blockToJson(block, params);
    expect(json.hash).toBe(blockHashHex(block.header));
    expect(json.transactions).toHaveLength(2);
    expect(blockFromJson(json, params)).toEqual({ ok: true, value: block });
    expect(blockFromJson(viaText(json), params)).toEqual({ ok: true, value: block });
    const { hash: _, ...withoutHash } = json;
    expect(blockFromJson(withoutHash, params)).toEqual({ ok: true, value: block });
  });

  const parse = (changes: Record<string, unknown>) =>
    codeOf(blockFromJson({ ...blockToJson(block, params), ...changes }, params));

  it.each([
    ['a hash of another header', { hash: blockHashHex(chain.tip.header) }],
    ['an unknown field', { size: 1 }],
    ['a negative timestamp', { timestamp_ms: -1 }],
    ['a fractional timestamp', { timestamp_ms: 1.5 }],
    ['a timestamp as a string', { timestamp_ms: '1767225601000' }],
    ['transactions that are not an array', { transactions: {} }],
    ['a short prev_hash', { prev_hash: '00' }],
    ['bits beyond u32', { bits: 2 ** 32 }],
    ['a nonce beyond u64', { nonce: '18446744073709551616' }],
  ])('refuses %s with JSON_INVALID_FIELD', (_, changes) => {
    expect(parse(changes)).toBe('JSON_INVALID_FIELD');
  });

  it('passes on the code of a bad transaction inside', () => {
    const json = blockToJson(block, params);
    const [first, second] = json.transactions as [unknown, TransferJson];
    const withBadAddress = [first, { ...second, to: mistyped(second.to) }];
    expect(parse({ transactions: withBadAddress })).toBe('ADDRESS_BAD_CHECKSUM');
    expect(parse({ transactions: [first, { ...second, fee: 'x' }] })).toBe('JSON_INVALID_FIELD');
  });
});
