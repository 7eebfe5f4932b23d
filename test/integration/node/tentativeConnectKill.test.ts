/**
 * kill -9 while a block's connect is written tentatively, outside a sync: a block added on its
 * own (mined, gossiped) has its SQLite connect written in a transaction of its own (no
 * SAVEPOINT: sqliteCommits.ts tentative) while its signatures are still being checked
 * (ChainStore.connectTentatively). A node killed then must reopen on the chain before that
 * block, every answer as if the write had never been, and then connect it as the chain opens
 * (the block itself was stored before). killMidSync.test.ts kills a sync's held commits the same
 * way.
 */
import { sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import { MIN_WORKER_SIGNATURES } from '../../../src/chain/verifySignatures.js';
import {
  type Block,
  COIN,
  encodeBlock,
  hashHeader,
  type Transfer,
  toHex,
  txSigningBytes,
} from '../../../src/core/index.js';
import { createNodeVerifier, keyPairOfSecret } from '../../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
} from '../../support/chainBuilder.js';
import { makeTempDir } from '../../support/nodeFixtures.js';
import { runUntilStopped } from '../../support/stoppingChild.js';
import { referenceAnswers, storeAnswers } from '../../support/storeAnswers.js';

const childScript = fileURLToPath(
  new URL('../../support/tentativeConnectChild.ts', import.meta.url),
);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/**
 * Genesis, a block paying alice, alice → carol, then the last: `count` transfers alice → bob and
 * one carol → alice. The many are signed with node:crypto (noble takes seconds for hundreds).
 */
function buildChain(count: number): Block[] {
  const b = new ChainBuilder();
  b.mine({ minerKey: alice.key });
  b.mine({ transfers: [b.transfer(alice, carol, 1n * COIN)] });
  const { privateKey } = keyPairOfSecret(alice.secret);
  const transfers: Transfer[] = Array.from({ length: count }, (_, i) => {
    const unsigned = {
      type: 'transfer' as const,
      chainId: b.params.chainId,
      from: alice.key,
      to: bob.key,
      amount: 1n,
      fee: 1000n,
      nonce: BigInt(i + 1),
    };
    const signature = new Uint8Array(sign(null, txSigningBytes(unsigned), privateKey));
    return { ...unsigned, signature };
  });
  b.mine({ transfers: [...transfers, b.transfer(carol, alice, 2n)] });
  return b.blocks;
}

describe('a node killed with SIGKILL while a block it was handed is being verified', () => {
  it.each([
    ['a small block (signatures on the thread pool)', 2],
    ['a big block (signatures on the worker threads)', MIN_WORKER_SIGNATURES + 1],
  ])(
    'reopens without %s, then connects it as it opens',
    async (_, count) => {
      const blocks = buildChain(count);
      const temp = makeTempDir();
      cleanups.push(temp.remove);
      const blocksFile = join(temp.dir, 'blocks.json');
      writeFileSync(blocksFile, JSON.stringify(blocks.map((b) => toHex(encodeBlock(b)))));
      const dataDir = join(temp.dir, 'node');
      mkdirSync(dataDir);

      const child = await runUntilStopped(childScript, [dataDir, blocksFile], cleanups);
      expect(child.stopped).toBe(blocks.at(-1)!.header.height);
      // stopped inside the open transaction: no handler runs, nothing is closed
      expect(await child.kill()).toBe('SIGKILL');

      const before = referenceAnswers(temp.dir, 'before.sqlite', blocks.slice(0, -1), blocks);
      const after = referenceAnswers(temp.dir, 'after.sqlite', blocks, blocks);
      const store = openSqliteStore(join(dataDir, 'chain.sqlite'));
      expect(storeAnswers(store, blocks)).toEqual(before);
      expect(before.locations.at(-1)).toBeUndefined();

      const verifier = createNodeVerifier();
      cleanups.push(() => void verifier.close?.());
      const chain = await Chain.open({
        params: easyParams,
        store,
        verifier,
        now: () => defaultNowMs(easyParams),
      });
      // The block was stored before its connect was written: the chain finishes connecting it as
      // it opens, its signatures checked again, as after a kill in the middle of a reorganisation.
      expect(chain.tip.hashHex).toBe(toHex(hashHeader(blocks.at(-1)!.header)));
      expect(storeAnswers(store, blocks)).toEqual(after);
      const again = await chain.addBlock(blocks.at(-1)!);
      expect(again).toMatchObject({ ok: true, value: { status: 'duplicate' } });
      store.close();
    },
    60_000,
  );
});
