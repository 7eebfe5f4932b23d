/**
 * Replays the chain cases of test/vectors/chains/ (see scripts/makeChainCases.ts for their shape):
 * a case with `post` must be accepted and end in exactly that state; one without must be rejected
 * with its `error` at its `failing_block`, both by validateChain and block by block.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES_DIR, type ChainCase, caseSpecs, makeCase } from '../../../scripts/makeChainCases.js';
import {
  type Account,
  applyDiff,
  type Block,
  blockFromJson,
  customParams,
  decodeBits,
  decodeBlock,
  encodeAddress,
  fromHex,
  genesisBlock,
  hashHeader,
  hashMeetsTarget,
  headerContext,
  mapReader,
  type NetworkParams,
  networks,
  toHex,
  undoBlock,
  validateBlock,
  validateChain,
} from '../../../src/core/index.js';
import { verify } from '../../support/chainBuilder.js';

const BIGINT_PARAMS = new Set(['genesisNonce', 'initialSubsidy']);

function paramsOf(chainCase: ChainCase): NetworkParams {
  const overrides = Object.fromEntries(
    Object.entries(chainCase.pre.overrides).map(([k, v]) => [
      k,
      BIGINT_PARAMS.has(k) ? BigInt(v as string) : v,
    ]),
  );
  return customParams(networks[chainCase.pre.network], overrides);
}

function blocksOf(chainCase: ChainCase, params: NetworkParams): Block[] {
  return chainCase.blocks.map((entry, i) => {
    const parsed =
      typeof entry === 'string' ? decodeBlock(fromHex(entry)) : blockFromJson(entry, params);
    if (!parsed.ok) throw new Error(`block ${i}: ${parsed.code} ${parsed.detail}`);
    return parsed.value;
  });
}

/** Runs validateBlock on blocks 1..upTo-1 (each must pass), then on block upTo if there is one. */
function replay(blocks: readonly Block[], params: NetworkParams, nowMs: number, upTo: number) {
  let accounts = new Map<string, Account>();
  const undos: ReturnType<typeof undoBlock>[] = [];
  for (let i = 1; i < upTo; i++) {
    const result = validateBlock(blocks[i]!, contextAt(blocks, i, params, nowMs, accounts));
    if (!result.ok) throw new Error(`block ${i}: ${result.code} ${result.detail}`);
    accounts = applyDiff(accounts, result.value.diff);
    undos.push(undoBlock(result.value));
  }
  const last = blocks[upTo];
  const verdict = last && validateBlock(last, contextAt(blocks, upTo, params, nowMs, accounts));
  return { accounts, undos, verdict };
}

function contextAt(
  blocks: readonly Block[],
  i: number,
  params: NetworkParams,
  nowMs: number,
  accounts: ReadonlyMap<string, Account>,
) {
  const parent = blocks[i - 1]!.header;
  const ctx = headerContext(params, parent, hashHeader(parent), (h) => blocks[h]!.header, nowMs);
  return { ...ctx, state: mapReader(accounts), verify };
}

const files = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const cases = files.map((file) => ({
  name: file.replace(/\.json$/, ''),
  chainCase: JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as ChainCase,
}));

describe('chain cases', () => {
  it('has one file per case the generator knows, and both outcomes', () => {
    expect(cases.map((c) => c.name)).toEqual(caseSpecs.map((s) => s.name).sort());
    expect(cases.filter((c) => c.chainCase.post).length).toBeGreaterThan(5);
    expect(cases.filter((c) => c.chainCase.error).length).toBeGreaterThan(20);
  });

  describe.each(cases)('$name', ({ name, chainCase }) => {
    const params = paramsOf(chainCase);
    const blocks = blocksOf(chainCase, params);
    const nowMs = chainCase.pre.now_ms;

    it('says how it was produced, and is either accepted or rejected', () => {
      expect(chainCase.produced_by).toMatch(/^scripts\/makeChainCases\.ts/);
      expect(chainCase.post === undefined).toBe(chainCase.error !== undefined);
    });

    it('starts from params whose genesis meets its own target', () => {
      const genesis = genesisBlock(params).header;
      expect(hashMeetsTarget(hashHeader(genesis), decodeBits(genesis.bits).target)).toBe(true);
    });

    const post = chainCase.post;
    if (post) {
      it('is accepted by validateChain with exactly the post state', () => {
        const outcome = validateChain(blocks, params, verify, nowMs);
        if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.detail}`);
        const { accounts, tipHash, chainWork } = outcome.value;
        expect(toHex(tipHash)).toBe(post.tip.hash);
        expect(blocks[blocks.length - 1]!.header.height).toBe(post.tip.height);
        expect(chainWork).toBe(BigInt(post.tip.chain_work));
        const address = (hex: string) => encodeAddress(fromHex(hex), params.addressPrefix);
        const balances = [...accounts].map(([k, a]) => [address(k), `${a.balance}`]);
        const nonces = [...accounts].map(([k, a]) => [address(k), `${a.nonce}`]);
        expect(Object.fromEntries(balances)).toEqual(post.balances);
        expect(Object.fromEntries(nonces)).toEqual(post.nonces);
      });

      it('is accepted block by block, and undoing every block empties the state', () => {
        const { accounts, undos } = replay(blocks, params, nowMs, blocks.length);
        expect(accounts.size).toBe(Object.keys(post.balances).length);
        let state = accounts;
        for (const undo of undos.reverse()) state = applyDiff(state, undo);
        expect(state.size).toBe(0);
      });
    } else {
      const failing = chainCase.failing_block!;
      it(`is rejected by validateChain with ${chainCase.error}`, () => {
        const outcome = validateChain(blocks, params, verify, nowMs);
        expect(outcome.ok ? 'accepted' : outcome.code).toBe(chainCase.error);
      });

      it(`is rejected at block ${failing}, every block before it valid`, () => {
        if (failing === 0) {
          const genesisHash = toHex(hashHeader(genesisBlock(params).header));
          expect(blocks[0] && toHex(hashHeader(blocks[0].header))).not.toBe(genesisHash);
          return;
        }
        expect(failing).toBe(blocks.length - 1);
        const { verdict } = replay(blocks, params, nowMs, failing);
        expect(verdict?.ok ? 'accepted' : verdict?.code).toBe(chainCase.error);
      });
    }

    it('is what scripts/makeChainCases.ts makes today', () => {
      const spec = caseSpecs.find((s) => s.name === name)!;
      expect(makeCase(spec)).toEqual(chainCase);
    });
  });
});
