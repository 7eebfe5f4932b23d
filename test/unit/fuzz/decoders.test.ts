/**
 * Mutation fuzzing of every decoder a peer or a client can reach (test/support/fuzz.ts): valid
 * transactions, headers and blocks with bytes flipped, set, inserted, deleted, cut or appended;
 * and peer messages with fields replaced, through the same schema check and decoding as the
 * node's. A decoder never throws, accepts only the one canonical encoding, and fails with a code
 * from the error table. `npm run bench -- fuzz` runs many more cases.
 */
import { describe, expect, it } from 'vitest';
import { fuzzDecoders, fuzzPeerMessages, mutate, peerExamples } from '../../support/fuzz.js';

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
    const counts = fuzzPeerMessages(400, peerExamples());
    expect(counts).toHaveLength(5);
  });
});
