/**
 * Random valid chains for property tests. fast-check draws a plan (who mines, who pays whom
 * what share of what they can spend, with which fee, how much of its reward a miner leaves
 * unclaimed); `PropertyChain` turns it into real blocks — signed transfers, real proof of work at
 * an easy target — and validates each with validateBlock before applying it.
 *
 * NOTE: what a sender can spend is decided by a small model kept here (balances, nonces and
 * coinbase credits by height), not by applyBlock, so the tests can compare the two.
 */
import fc from 'fast-check';
import {
  type Account,
  applyDiff,
  BLOCK_VERSION,
  type Block,
  blockSubsidy,
  type Coinbase,
  customParams,
  genesisBlock,
  hashHeader,
  hashTx,
  headerContext,
  mapReader,
  merkleRoot,
  type NetworkParams,
  type Result,
  solveBlock,
  type Transfer,
  toHex,
  tutorialParams,
  type ValidatedBlock,
  validateBlock,
} from '../../src/core/index.js';
import { publicKeyFromSecret, signTransfer } from '../../src/core/nobleEd25519.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';

/** Four fixed secrets (bytes 1…1, 2…2, …) and their public keys. */
export const SECRETS: readonly Uint8Array[] = [1, 2, 3, 4].map((i) => new Uint8Array(32).fill(i));
export const KEYS: readonly Uint8Array[] = SECRETS.map((s) => publicKeyFromSecret(s));
export const keyHex = (i: number): string => toHex(KEYS[i]!);

/** A target of about 2^255: every other nonce meets it. */
export const EASY_BITS = 0x207fffff;

const probe = customParams(tutorialParams, {
  powLimitBits: EASY_BITS,
  genesisBits: EASY_BITS,
  genesisNonce: 0n,
});
/** The genesis nonce of the easy network, found once with solveBlock. */
export const EASY_GENESIS_NONCE = solveBlock(genesisBlock(probe))!.header.nonce;

/** The tutorial network at an easy target. Overrides must not touch what genesis hashes. */
export function easyParams(overrides: Partial<NetworkParams> = {}): NetworkParams {
  return customParams(tutorialParams, {
    powLimitBits: EASY_BITS,
    genesisBits: EASY_BITS,
    genesisNonce: EASY_GENESIS_NONCE,
    ...overrides,
  });
}

/** Fixed block times: block k is stamped genesis + k seconds. */
export const blockTimeMs = (params: NetworkParams, height: number): number =>
  params.genesisTimestampMs + height * 1000;

export function signedTransfer(
  params: NetworkParams,
  from: number,
  to: number,
  amount: bigint,
  fee: bigint,
  nonce: bigint,
): Transfer {
  const tx = { type: 'transfer', chainId: params.chainId, from: KEYS[from]!, to: KEYS[to]! };
  return signTransfer({ ...tx, type: 'transfer', amount, fee, nonce }, SECRETS[from]!);
}

export interface TransferIntent {
  /** Which of the keys able to pay sends (modulo their number). */
  readonly from: number;
  readonly to: number;
  /** Share of what the sender can spend (after the fee) that it sends, in thousandths. */
  readonly sharePermille: number;
  readonly fee: bigint;
}

export interface BlockPlan {
  readonly miner: number;
  /** Share of subsidy + fees the miner does not claim, in thousandths. */
  readonly burnPermille: number;
  readonly transfers: readonly TransferIntent[];
}

const keyIndex = fc.nat({ max: KEYS.length - 1 });
export const transferIntentArb: fc.Arbitrary<TransferIntent> = fc.record({
  from: keyIndex,
  to: keyIndex,
  sharePermille: fc.integer({ min: 1, max: 1000 }),
  fee: fc.bigInt({ min: 1n, max: 100_000n }),
});
export const blockPlanArb: fc.Arbitrary<BlockPlan> = fc.record({
  miner: keyIndex,
  burnPermille: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 })),
  transfers: fc.array(transferIntentArb, { maxLength: 4 }),
});

interface ModelAccount {
  balance: bigint;
  nonce: bigint;
  credits: { height: number; amount: bigint }[];
}

export interface MineOptions {
  readonly miner?: number;
  /** Defaults to subsidy + fees. */
  readonly coinbaseAmount?: bigint;
}

export class PropertyChain {
  readonly blocks: Block[];
  /** Account states: `states[h]` is the state after block h (`states[0]` is empty). */
  readonly states: Map<string, Account>[] = [new Map()];
  private readonly model = KEYS.map((): ModelAccount => ({ balance: 0n, nonce: 0n, credits: [] }));
  private readonly verify = createNodeVerifier().verify;

  constructor(readonly params: NetworkParams) {
    this.blocks = [genesisBlock(params)];
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  get accounts(): Map<string, Account> {
    return this.states[this.states.length - 1]!;
  }

  /** A mined block on the tip holding `transfers`; not validated, not applied. */
  mine(transfers: readonly Transfer[], options: MineOptions = {}): Block {
    const height = this.tip.header.height + 1;
    const fees = transfers.reduce((sum, tx) => sum + tx.fee, 0n);
    const coinbase: Coinbase = {
      type: 'coinbase',
      chainId: this.params.chainId,
      height,
      to: KEYS[options.miner ?? 0]!,
      amount: options.coinbaseAmount ?? blockSubsidy(this.params, height) + fees,
    };
    const txs = [coinbase, ...transfers];
    const header = {
      version: BLOCK_VERSION,
      height,
      prevHash: hashHeader(this.tip.header),
      merkleRoot: merkleRoot(txs.map(hashTx)),
      timestampMs: blockTimeMs(this.params, height),
      bits: this.params.genesisBits,
      nonce: 0n,
    };
    return solveBlock({ header, txs })!;
  }

  /** Validates `block` on the tip (validateBlock) and, if valid, appends it. */
  append(block: Block): Result<ValidatedBlock> {
    const parent = this.tip;
    const ctx = headerContext(
      this.params,
      parent.header,
      hashHeader(parent.header),
      (h) => this.blocks[h]!.header,
      blockTimeMs(this.params, block.header.height),
    );
    const result = validateBlock(block, {
      ...ctx,
      state: mapReader(this.accounts),
      verify: this.verify,
    });
    if (!result.ok) return result;
    this.blocks.push(block);
    this.states.push(applyDiff(this.accounts, result.value.diff));
    return result;
  }

  /** What the model says key `i` may spend in the block at `height`. */
  private spendable(i: number, height: number): bigint {
    const account = this.model[i]!;
    const locked = account.credits
      .filter((c) => c.height + this.params.coinbaseMaturity > height)
      .reduce((sum, c) => sum + c.amount, 0n);
    return account.balance - locked;
  }

  /** Turns a plan into a valid block, appends it (throws if invalid) and updates the model. */
  appendPlan(plan: BlockPlan): Block {
    const height = this.tip.header.height + 1;
    const transfers: Transfer[] = [];
    for (const intent of plan.transfers) {
      // The sender is picked among the keys that can pay, so that most intents become transfers.
      const payers = KEYS.map((_, i) => i).filter((i) => this.spendable(i, height) >= 2n);
      if (payers.length === 0) continue;
      const from = payers[intent.from % payers.length]!;
      const spendable = this.spendable(from, height);
      const fee = intent.fee < spendable ? intent.fee : spendable - 1n;
      const share = ((spendable - fee) * BigInt(intent.sharePermille)) / 1000n;
      const amount = share < 1n ? 1n : share;
      const sender = this.model[from]!;
      transfers.push(signedTransfer(this.params, from, intent.to, amount, fee, sender.nonce));
      sender.balance -= amount + fee;
      sender.nonce += 1n;
      this.model[intent.to]!.balance += amount;
    }
    const fees = transfers.reduce((sum, tx) => sum + tx.fee, 0n);
    const allowed = blockSubsidy(this.params, height) + fees;
    const coinbaseAmount = allowed - (allowed * BigInt(plan.burnPermille)) / 1000n;
    const block = this.mine(transfers, { miner: plan.miner, coinbaseAmount });
    const result = this.append(block);
    if (!result.ok) throw new Error(`planned block ${height} invalid: ${result.code}`);
    const miner = this.model[plan.miner]!;
    miner.balance += coinbaseAmount;
    if (coinbaseAmount > 0n) miner.credits.push({ height, amount: coinbaseAmount });
    return block;
  }

  /** The model's balance and nonce of key `i`. */
  modelAccount(i: number): { balance: bigint; nonce: bigint } {
    const { balance, nonce } = this.model[i]!;
    return { balance, nonce };
  }
}

/** A valid chain built from `plans` on `params`. */
export function buildPlannedChain(
  params: NetworkParams,
  plans: readonly BlockPlan[],
): PropertyChain {
  const chain = new PropertyChain(params);
  for (const plan of plans) chain.appendPlan(plan);
  return chain;
}
