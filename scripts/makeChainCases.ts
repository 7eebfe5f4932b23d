/**
 * Writes the chain cases under test/vectors/chains/, in lodestar's spec shape:
 *
 *   { description, produced_by, pre: { network, overrides, now_ms }, blocks: [...], post }
 *   { description, produced_by, pre, blocks, error: "<CODE>", failing_block: i }
 *
 * `blocks` start at genesis; each is blockToJson's view or the hex of encodeBlock. `post` lists
 * every account after the last block (balances and nonces by address) and the tip; a case without
 * `post` must be rejected with `error` at block `failing_block`. Each case states what it expects
 * here, by hand, and the generator refuses to write one that validateChain disagrees with.
 *
 * Run: `npx tsx scripts/makeChainCases.ts` (deterministic: fixed keys, timestamps and nonces).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type Block,
  blockToJson,
  COIN,
  devnetParams,
  type ErrorCode,
  encodeAddress,
  encodeBlock,
  hashHeader,
  type NetworkName,
  type NetworkParams,
  networks,
  toHex,
  tutorialParams,
  validateChain,
  workFromBits,
} from '../src/core/index.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  EASY_BITS,
  easyParams,
  miner,
  type Party,
  paramsWithGenesis,
  timestampAt,
  unsolve,
  verify,
} from '../test/support/chainBuilder.js';

export const PRODUCED_BY = 'scripts/makeChainCases.ts (npx tsx scripts/makeChainCases.ts)';
const FEE = 1000n;
const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

type Expect =
  | { readonly accounts: readonly [Party, bigint, bigint][] } // party, balance, nonce
  | { readonly error: ErrorCode };

interface CaseSpec {
  readonly name: string;
  readonly description: string;
  /** Its name is the network the case's `pre` starts from. */
  readonly params: NetworkParams;
  readonly hex?: boolean;
  /** Grows `chain`; returns the rejected block, if the case has one (it is not appended). */
  readonly build: (chain: ChainBuilder) => Block | undefined;
  readonly expect: Expect;
}

const devnetLike = paramsWithGenesis(devnetParams, {
  powLimitBits: EASY_BITS,
  genesisBits: 0x2000ffff, // harder than the limit, as devnet's genesis is
});
const retargeting = paramsWithGenesis(tutorialParams, {
  powLimitBits: EASY_BITS,
  genesisBits: EASY_BITS,
  retarget: { intervalBlocks: 2, targetBlockTimeMs: 5_000 },
});
const maturing = paramsWithGenesis(tutorialParams, {
  powLimitBits: EASY_BITS,
  genesisBits: EASY_BITS,
  coinbaseMaturity: 2,
});
const small = customEasy({ maxBlockBytes: 400 }); // a header, a coinbase and one transfer fit
const otherGenesis = customEasy({ genesisTimestampMs: tutorialParams.genesisTimestampMs + 1 });

function customEasy(overrides: Partial<NetworkParams>): NetworkParams {
  return paramsWithGenesis(easyParams, overrides);
}

const ok = (...accounts: [Party, bigint, bigint][]): Expect => ({ accounts });
const err = (error: ErrorCode): Expect => ({ error });

/** A chain where alice mined block 1, so she holds 50 coins. */
function aliceFunded(chain: ChainBuilder): void {
  chain.mine({ minerKey: alice.key });
}

function payBob(chain: ChainBuilder): void {
  aliceFunded(chain);
  chain.mine({ transfers: [chain.transfer(alice, bob, 5n * COIN)] });
}
const bobPaid = ok(
  [alice, 45n * COIN - FEE, 1n],
  [bob, 5n * COIN, 0n],
  [miner, 50n * COIN + FEE, 0n],
);

function accepted(
  name: string,
  description: string,
  build: (c: ChainBuilder) => void,
  expect: Expect,
): CaseSpec {
  return { name, description, params: easyParams, build: (c) => void build(c), expect };
}

function rejected(
  name: string,
  code: ErrorCode,
  description: string,
  build: (c: ChainBuilder) => Block | undefined,
  params: NetworkParams = easyParams,
): CaseSpec {
  return { name, description, params, build, expect: err(code) };
}

export const caseSpecs: readonly CaseSpec[] = [
  accepted(
    'valid_empty_blocks',
    'Three empty blocks: each coinbase pays the subsidy',
    (c) => {
      c.mineEmpty(3);
    },
    ok([miner, 150n * COIN, 0n]),
  ),
  accepted('valid_transfer', 'Alice mines, then pays bob 5 coins', payBob, bobPaid),
  { ...accepted('valid_transfer_hex', 'valid_transfer in hex', payBob, bobPaid), hex: true },
  accepted(
    'valid_transfers_across_blocks',
    'Three senders, chained spends, fees to the miner',
    (c) => {
      c.mine({ minerKey: alice.key });
      c.mine({ minerKey: bob.key });
      c.mine({
        transfers: [
          c.transfer(alice, carol, 10n * COIN),
          c.transfer(bob, carol, 7n * COIN, { fee: 2000n }),
          c.transfer(alice, bob, 1n * COIN, { fee: 500n, nonce: 1n }),
        ],
      });
      c.mine({ transfers: [c.transfer(carol, alice, 3n * COIN)] });
    },
    ok(
      [alice, 42n * COIN - 1500n, 2n],
      [bob, 44n * COIN - 2000n, 1n],
      [carol, 14n * COIN - 1000n, 1n],
      [miner, 100n * COIN + 4500n, 0n],
    ),
  ),
  accepted(
    'valid_coinbase_below_allowed',
    'A coinbase may claim less than it may',
    (c) => {
      c.mine({ coinbaseAmount: 10n * COIN });
    },
    ok([miner, 10n * COIN, 0n]),
  ),
  accepted(
    'valid_time_after_median',
    'Earlier than its parent but after the median of 11',
    (c) => {
      c.mineEmpty(11);
      c.mine({ timestampMs: timestampAt(c.params, 6) + 1 });
    },
    ok([miner, 600n * COIN, 0n]),
  ),
  accepted(
    'valid_time_at_drift_limit',
    'A timestamp exactly 2 h ahead of the clock',
    (c) => {
      c.mine({ timestampMs: c.nowMs + TWO_HOURS_MS });
    },
    ok([miner, 50n * COIN, 0n]),
  ),
  {
    ...accepted(
      'valid_retarget',
      'Fast blocks: the target gets 4x harder at heights 4 and 6',
      (c) => {
        c.mineEmpty(6);
        if (c.blocks[4]!.header.bits !== 0x201fffff || c.blocks[6]!.header.bits !== 0x2007ffff) {
          throw new Error('valid_retarget: unexpected bits');
        }
      },
      ok([miner, 300n * COIN, 0n]),
    ),
    params: retargeting,
  },
  {
    ...accepted(
      'valid_mature_coinbase',
      'A coinbase of block 1 spent in block 3 (maturity 2)',
      (c) => {
        aliceFunded(c);
        c.mine();
        c.mine({ transfers: [c.transfer(alice, bob, 5n * COIN)] });
      },
      ok([alice, 45n * COIN - FEE, 1n], [bob, 5n * COIN, 0n], [miner, 100n * COIN + FEE, 0n]),
    ),
    params: maturing,
  },

  rejected(
    'genesis_other_network',
    'CHAIN_BAD_GENESIS',
    'A chain on another genesis',
    () => undefined,
  ),
  rejected('genesis_missing', 'CHAIN_BAD_GENESIS', 'The chain starts at block 1', () => undefined),
  rejected('previous_wrong_hash', 'BLOCK_BAD_PREVIOUS', 'Block 2 links to genesis', (c) => {
    c.mine();
    return c.next({ header: { prevHash: hashHeader(c.blocks[0]!.header) } });
  }),
  rejected('previous_wrong_height', 'BLOCK_BAD_PREVIOUS', 'Block 2 says it is block 3', (c) => {
    c.mine();
    return c.next({ header: { height: 3 }, txs: [{ ...c.coinbase(50n * COIN), height: 3 }] });
  }),
  rejected(
    'target_easier_than_required',
    'BLOCK_BAD_TARGET',
    'Bits at the limit',
    (c) => c.next({ bits: EASY_BITS }),
    devnetLike,
  ),
  rejected(
    'target_missed_retarget',
    'BLOCK_BAD_TARGET',
    'Block 4 keeps the old bits',
    (c) => {
      c.mineEmpty(3);
      return c.next({ bits: EASY_BITS });
    },
    retargeting,
  ),
  rejected('pow_bits_above_limit', 'POW_BAD_BITS', 'Bits easier than powLimit', (c) =>
    c.next({ bits: 0x2100ffff }),
  ),
  rejected('pow_bits_not_canonical', 'POW_BAD_BITS', 'Bits not in canonical form', (c) =>
    c.next({ bits: 0x20007fff }),
  ),
  rejected('pow_insufficient_work', 'POW_INSUFFICIENT_WORK', 'A hash above the target', (c) => {
    c.mine();
    return unsolve(c.next());
  }),
  rejected('block_bad_version', 'BLOCK_BAD_VERSION', 'Header version 2', (c) =>
    c.next({ header: { version: 2 } }),
  ),
  rejected(
    'block_too_large',
    'BLOCK_TOO_LARGE',
    'Two transfers in a 400-byte block',
    (c) => {
      aliceFunded(c);
      const transfers = [c.transfer(alice, bob, COIN), c.transfer(alice, bob, COIN, { nonce: 1n })];
      return c.next({ transfers });
    },
    small,
  ),
  rejected('no_coinbase', 'BLOCK_NO_COINBASE', 'The coinbase comes second', (c) => {
    aliceFunded(c);
    return c.next({ txs: [c.transfer(alice, bob, COIN), c.coinbase(50n * COIN)] });
  }),
  rejected('coinbase_bad_height', 'BLOCK_COINBASE_BAD_HEIGHT', "Block 1's coinbase says 2", (c) =>
    c.next({ txs: [{ ...c.coinbase(50n * COIN), height: 2 }] }),
  ),
  rejected('coinbase_wrong_chain', 'TX_WRONG_CHAIN', 'A coinbase for chain 2', (c) =>
    c.next({ txs: [{ ...c.coinbase(50n * COIN), chainId: 2 }] }),
  ),
  rejected('coinbase_twice', 'BLOCK_MULTIPLE_COINBASES', 'A second coinbase', (c) =>
    c.next({ txs: [c.coinbase(50n * COIN), c.coinbase(50n * COIN, alice.key)] }),
  ),
  rejected('coinbase_too_large', 'BLOCK_COINBASE_TOO_LARGE', 'Subsidy + fees + 1', (c) => {
    aliceFunded(c);
    return c.next({
      transfers: [c.transfer(alice, bob, COIN)],
      coinbaseAmount: 50n * COIN + FEE + 1n,
    });
  }),
  rejected('duplicate_tx', 'BLOCK_DUPLICATE_TX', 'One transfer twice', (c) => {
    aliceFunded(c);
    const tx = c.transfer(alice, bob, COIN);
    return c.next({ txs: [c.coinbase(50n * COIN + 2n * FEE), tx, tx] });
  }),
  rejected('merkle_root_stale', 'BLOCK_BAD_MERKLE_ROOT', 'A transfer swapped after mining', (c) => {
    aliceFunded(c);
    const block = c.next({ transfers: [c.transfer(alice, bob, COIN)] });
    return { header: block.header, txs: [block.txs[0]!, c.transfer(alice, carol, COIN)] };
  }),
  rejected('tx_wrong_chain', 'TX_WRONG_CHAIN', 'A transfer signed for chain 2', (c) => {
    aliceFunded(c);
    return c.next({ transfers: [c.transfer(alice, bob, COIN, { chainId: 2 })] });
  }),
  rejected('tx_amount_zero', 'TX_AMOUNT_NOT_POSITIVE', 'A transfer of 0', (c) => {
    aliceFunded(c);
    return c.next({ transfers: [c.transfer(alice, bob, 0n)] });
  }),
  rejected('tx_fee_zero', 'TX_FEE_NOT_POSITIVE', 'A transfer with fee 0', (c) => {
    aliceFunded(c);
    return c.next({ transfers: [c.transfer(alice, bob, COIN, { fee: 0n })] });
  }),
  rejected('tx_amount_too_large', 'TX_AMOUNT_TOO_LARGE', 'A transfer of 2^63', (c) => {
    aliceFunded(c);
    return c.next({ transfers: [c.transfer(alice, bob, 1n << 63n)] });
  }),
  rejected('tx_changed_after_signing', 'TX_BAD_SIGNATURE', 'Amount raised after signing', (c) => {
    aliceFunded(c);
    return c.next({ transfers: [{ ...c.transfer(alice, bob, COIN), amount: 2n * COIN }] });
  }),
  rejected('tx_replayed', 'TX_NONCE_TOO_LOW', 'A confirmed transfer again', (c) => {
    aliceFunded(c);
    const payment = c.transfer(alice, bob, COIN);
    c.mine({ transfers: [payment] });
    return c.next({ transfers: [payment] });
  }),
  rejected('tx_nonce_gap', 'TX_NONCE_TOO_HIGH', 'Nonce 1 before nonce 0', (c) => {
    aliceFunded(c);
    return c.next({ transfers: [c.transfer(alice, bob, COIN, { nonce: 1n })] });
  }),
  rejected('tx_overspend_in_block', 'TX_INSUFFICIENT_FUNDS', '30 + 30 coins from 50', (c) => {
    aliceFunded(c);
    const first = c.transfer(alice, bob, 30n * COIN);
    return c.next({ transfers: [first, c.transfer(alice, carol, 30n * COIN, { nonce: 1n })] });
  }),
  rejected(
    'tx_immature_coinbase',
    'TX_INSUFFICIENT_FUNDS',
    "Block 1's coinbase spent in 2",
    (c) => {
      aliceFunded(c);
      return c.next({ transfers: [c.transfer(alice, bob, COIN)] });
    },
    maturing,
  ),
  rejected('time_at_median', 'BLOCK_TIME_TOO_OLD', 'Block 12 at the median of 1..11', (c) => {
    c.mineEmpty(11);
    return c.next({ timestampMs: timestampAt(c.params, 6) });
  }),
  rejected('time_too_new', 'BLOCK_TIME_TOO_NEW', '2 h and 1 ms ahead of the clock', (c) =>
    c.next({ timestampMs: c.nowMs + TWO_HOURS_MS + 1 }),
  ),
];

export interface ChainCase {
  description: string;
  produced_by: string;
  pre: { network: NetworkName; overrides: Record<string, unknown>; now_ms: number };
  blocks: unknown[];
  post?: {
    tip: { height: number; hash: string; chain_work: string };
    balances: Record<string, string>;
    nonces: Record<string, string>;
  };
  error?: ErrorCode;
  failing_block?: number;
}

const toJsonValue = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)));

/** The params fields that differ from the named network's, as JSON (bigints as strings). */
function overridesOf(params: NetworkParams, base: NetworkName): Record<string, unknown> {
  const baseJson = toJsonValue(networks[base]);
  const json = toJsonValue(params);
  return Object.fromEntries(
    Object.entries(json).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(baseJson[k])),
  );
}

function blocksOf(spec: CaseSpec, chain: ChainBuilder, bad: Block | undefined): Block[] {
  if (spec.name === 'genesis_other_network') {
    const other = new ChainBuilder(otherGenesis);
    other.mineEmpty(2);
    return other.blocks;
  }
  if (spec.name === 'genesis_missing') return chain.mineEmpty(2).blocks.slice(1);
  return bad ? [...chain.blocks, bad] : chain.blocks;
}

export function makeCase(spec: CaseSpec): ChainCase {
  const chain = new ChainBuilder(spec.params);
  const bad = spec.build(chain);
  const blocks = blocksOf(spec, chain, bad);
  const outcome = validateChain(blocks, spec.params, verify, chain.nowMs);
  const { addressPrefix, name } = spec.params;
  const network = name as NetworkName;
  const pre = { network, overrides: overridesOf(spec.params, network), now_ms: chain.nowMs };
  const base = {
    description: spec.description,
    produced_by: PRODUCED_BY,
    pre,
    blocks: blocks.map((b) => (spec.hex ? toHex(encodeBlock(b)) : blockToJson(b, spec.params))),
  };
  if ('error' in spec.expect) {
    if (outcome.ok || outcome.code !== spec.expect.error) {
      throw new Error(
        `${spec.name}: expected ${spec.expect.error}, got ${JSON.stringify(outcome)}`,
      );
    }
    const failing = bad ? blocks.length - 1 : 0;
    return { ...base, error: spec.expect.error, failing_block: failing };
  }
  if (!outcome.ok) throw new Error(`${spec.name} (${name}): ${outcome.code} ${outcome.detail}`);
  const address = (p: Party) => encodeAddress(p.key, addressPrefix);
  const expected = spec.expect.accounts;
  if (outcome.value.accounts.size !== expected.length) throw new Error(`${spec.name}: accounts`);
  for (const [p, balance, nonce] of expected) {
    const got = outcome.value.accounts.get(toHex(p.key));
    if (got?.balance !== balance || got.nonce !== nonce) {
      throw new Error(`${spec.name}: ${address(p)} has ${got?.balance} (nonce ${got?.nonce})`);
    }
  }
  const tip = blocks[blocks.length - 1]!.header;
  return {
    ...base,
    post: {
      tip: {
        height: tip.height,
        hash: toHex(hashHeader(tip)),
        chain_work: `${blocks.reduce((work, b) => work + workFromBits(b.header.bits), 0n)}`,
      },
      balances: Object.fromEntries(expected.map(([p, balance]) => [address(p), `${balance}`])),
      nonces: Object.fromEntries(expected.map(([p, , nonce]) => [address(p), `${nonce}`])),
    },
  };
}

export const CASES_DIR = fileURLToPath(new URL('../test/vectors/chains/', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(CASES_DIR, { recursive: true });
  for (const file of readdirSync(CASES_DIR)) {
    if (file.endsWith('.json')) rmSync(join(CASES_DIR, file));
  }
  for (const spec of caseSpecs) {
    writeFileSync(
      join(CASES_DIR, `${spec.name}.json`),
      `${JSON.stringify(makeCase(spec), null, 2)}\n`,
    );
  }
  console.log(`wrote ${caseSpecs.length} chain cases to ${CASES_DIR}`);
}
