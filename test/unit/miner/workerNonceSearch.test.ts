import { expect, it } from 'vitest';
import { decodeBits } from '../../../src/core/pow.js';
import type { NonceSearch } from '../../../src/miner/nonceSearch.js';
import { createWorkerNonceSearch } from '../../../src/miner/workerNonceSearch.js';
import { headerBytes, referenceHash, seededHeader } from './headers.js';

it("serves the node's NonceSearch: a nonce and its tries when found, null when aborted", async () => {
  // Typed as the node's interface: this fails to compile if the two drift apart.
  const search: NonceSearch = await createWorkerNonceSearch({ threads: 2 });
  try {
    expect(search.threads).toBe(2);
    const header = headerBytes(seededHeader('nonce search', 0x1f00ffff));
    const target = decodeBits(0x1f00ffff).target;
    const { nonce, tries } = await search.search(header, target, new AbortController().signal);
    expect(nonce).not.toBeNull();
    // Two threads each start at their share's first nonce: at least one try, at most a few per
    // nonce below the one found (the other thread hashes as many while this one searches).
    expect(tries).toBeGreaterThanOrEqual(1);
    expect(
      BigInt(`0x${Buffer.from(referenceHash(header, nonce!)).toString('hex')}`),
    ).toBeLessThanOrEqual(target);
    expect((await search.search(header, 0n, AbortSignal.abort())).nonce).toBeNull();
    expect(search.hashRate()).toBeGreaterThanOrEqual(0);
  } finally {
    await search.close();
  }
});
