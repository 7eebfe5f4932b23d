/**
 * parseAddress's own bech32m decoding of a key's address gives the answer @scure/base gives
 * (BIP-350's reference, as the addresses were read before): on random keys, on every one-character
 * change and every swap of neighbours of their addresses (checksum failures, and changes that
 * happen to keep a valid checksum), in upper case, and on data whose padding bits are not zero.
 */
import { bech32m } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAddress, parseAddress, type Result, toHex } from '../../../src/core/index.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** What the address held as @scure/base reads it: the key's hex, or why not. */
function reference(text: string): string {
  const decoded = bech32m.decodeUnsafe(text);
  if (!decoded) return 'ADDRESS_BAD_CHECKSUM';
  const bytes = bech32m.fromWordsUnsafe(decoded.words);
  return bytes === undefined || bytes.length !== 32 ? 'ADDRESS_MALFORMED' : toHex(bytes);
}

const answer = (parsed: Result<Uint8Array>) => (parsed.ok ? toHex(parsed.value) : parsed.code);

describe('parseAddress against @scure/base', () => {
  it('reads keys, and refuses changed characters, as bech32m does', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom('tut', 'by', 'bcrt'),
        fc.nat(),
        fc.nat(),
        (key, prefix, at, by) => {
          const address = encodeAddress(key, prefix);
          expect(answer(parseAddress(address, prefix))).toBe(toHex(key));
          expect(answer(parseAddress(address.toUpperCase(), prefix))).toBe(toHex(key));
          const data = prefix.length + 1;
          const i = data + (at % (address.length - data));
          const c = CHARSET[(CHARSET.indexOf(address[i]!) + 1 + (by % 31)) % 32]!;
          const changed = address.slice(0, i) + c + address.slice(i + 1);
          expect(answer(parseAddress(changed, prefix))).toBe(reference(changed));
          if (i + 1 < address.length) {
            const swapped =
              address.slice(0, i) + address[i + 1] + address[i] + address.slice(i + 2);
            expect(answer(parseAddress(swapped, prefix))).toBe(reference(swapped));
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses non-zero padding bits under a valid checksum, as bech32m does', () => {
    for (let pad = 0; pad < 16; pad++) {
      const words = bech32m.toWords(new Uint8Array(32).fill(pad * 17));
      words[words.length - 1] = (words[words.length - 1]! & 0x10) | pad;
      const text = bech32m.encode('tut', words);
      expect(answer(parseAddress(text, 'tut'))).toBe(reference(text));
    }
    expect(reference(bech32m.encode('tut', bech32m.toWords(new Uint8Array(32))))).toBe(
      '00'.repeat(32),
    );
  });
});
