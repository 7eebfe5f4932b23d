/**
 * Mutation fuzzing of every decoder a peer or a client can reach (test/support/fuzz.ts): valid
 * transactions, headers and blocks with bytes flipped, set, inserted, deleted, cut or appended;
 * and peer messages with fields replaced, through the same schema check and decoding as the
 * node's. A decoder never throws, accepts only the one canonical encoding, and fails with a code
 * from the error table. `npm run bench -- fuzz` runs many more cases.
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock, encodeHeader, encodeTx, toHex } from '../../../src/core/index.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';
import { fuzzDecoders, fuzzPeerMessages, mutate } from '../../support/fuzz.js';

describe('mutation fuzzing', () => {
  it('mutates as asked: flip, set, insert, delete, cut, append', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4]);
    expect([...mutate(bytes, [{ kind: 'flip', at: 1, bit: 0 }])]).toEqual([1, 3, 3, 4]);
    expect([...mutate(bytes, [{ kind: 'set', at: 6, value: 9 }])]).toEqual([1, 2, 9, 4]);
    expect([...mutate(bytes, [{ kind: 'insert', at: 0, value: 7 }])]).toEqual([7, 1, 2, 3, 4]);
    expect([...mutate(bytes, [{ kind: 'delete', at: 3 }])]).toEqual([1, 2, 3]);
    expect([...mutate(bytes, [{ kind: 'cut', at: 2 }])]).toEqual([1, 2]);
    expect([...mutate(bytes, [{ kind: 'append', more: Uint8Array.of(5) }])]).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it('of the transaction, header and block decoders: no throw, canonical or a known code', () => {
    const counts = fuzzDecoders(1_000);
    expect(counts.reduce((n, c) => n + c.cases, 0)).toBe(2_200);
  });

  it('of peer messages: the schema check and the decoding never throw', () => {
    const builder = new ChainBuilder();
    builder.mine({ minerKey: alice.key });
    const block = builder.mine({ transfers: [builder.transfer(alice, bob, 1_000n)] });
    const counts = fuzzPeerMessages(400, {
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
    });
    expect(counts).toHaveLength(5);
  });
});
