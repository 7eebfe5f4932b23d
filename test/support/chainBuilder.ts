/**
 * Builds small chains for tests and vectors: easy proof of work (about one hash in two meets the
 * target, so every block mines at once), fixed keys from fixed secrets, fixed timestamps
 * (genesis + height × 1 s). Nothing here reads the clock or randomness, so the same calls give
 * the same blocks, byte for byte, on every run.
 */
import {
  type Account,
  applyDiff,
  type Block,
  type BlockContext,
  type BlockHeader,
  blockSubsidy,
  buildBlockTemplate,
  COIN,
  type Coinbase,
  customParams,
  decodeBits,
  genesisBlock,
  hashHeader,
  hashMeetsTarget,
  hashTx,
  headerContext,
  mapReader,
  merkleRoot,
  type NetworkParams,
  type Result,
  solveBlock,
  type Transfer,
  type Tx,
  toHex,
  tutorialParams,
  type ValidatedBlock,
  validateBlock,
} from '../../src/core/index.js';
import { publicKeyFromSecret, signTransfer } from '../../src/core/nobleEd25519.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';

/** The easiest canonical target with exponent 0x20: about half of all hashes meet it. */
export const EASY_BITS = 0x207fffff;

/**
 * The tutorial network with easy proof of work. genesisNonce 1 was found once with
 * `solveBlock(genesisBlock(customParams(tutorialParams, { ...EASY, genesisNonce: 0n })))`;
 * test/unit/core/chainCases.test.ts checks it still meets the target.
 */
export const easyParams: NetworkParams = customParams(tutorialParams, {
  powLimitBits: EASY_BITS,
  genesisBits: EASY_BITS,
  genesisNonce: 1n,
});

/** `base` with `overrides` and the smallest genesis nonce that meets the genesis target. */
export function paramsWithGenesis(
  base: NetworkParams,
  overrides: Partial<NetworkParams>,
): NetworkParams {
  const unsolved = customParams(base, { ...overrides, genesisNonce: 0n });
  const solved = solveBlock(genesisBlock(unsolved));
  if (!solved) throw new Error('no genesis nonce found');
  return customParams(unsolved, { genesisNonce: solved.header.nonce });
}

export interface Party {
  readonly secret: Uint8Array;
  readonly key: Uint8Array;
}

function party(fill: number): Party {
  const secret = new Uint8Array(32).fill(fill);
  return { secret, key: publicKeyFromSecret(secret) };
}

/** Fixed test keys; the miner is the one the builder's coinbases pay by default. */
export const alice = party(0xa1);
export const bob = party(0xb0);
export const carol = party(0xc0);
export const miner = party(0x4d);

export const { verify } = createNodeVerifier();

/** The fixed timestamp of the block at `height`: one second after its parent. */
export function timestampAt(params: NetworkParams, height: number): number {
  return params.genesisTimestampMs + height * 1000;
}

/** A clock a day after genesis: late enough for any builder timestamp, early enough to matter. */
export function defaultNowMs(params: NetworkParams): number {
  return params.genesisTimestampMs + 24 * 60 * 60 * 1000;
}

export interface TransferOptions {
  readonly fee?: bigint;
  readonly nonce?: bigint;
  readonly chainId?: number;
}

export interface NextBlockOptions {
  /** Transfers after the coinbase. */
  readonly transfers?: readonly Transfer[];
  /** The whole transaction list, coinbase included: replaces the built one. */
  readonly txs?: readonly Tx[];
  readonly timestampMs?: number;
  /** Default: the bits the chain requires. */
  readonly bits?: number;
  /** Default: the miner party. */
  readonly minerKey?: Uint8Array;
  /** Default: subsidy + fees. */
  readonly coinbaseAmount?: bigint;
  /** Header fields set after the merkle root is computed and before the block is solved. */
  readonly header?: Partial<BlockHeader>;
}

/** A hash that meets the header's own target, by searching nonces. */
export function solve(block: Block): Block {
  const solved = solveBlock(block, 10_000_000);
  if (!solved) throw new Error('could not solve the block');
  return solved;
}

/** The same block with the first nonce from its own whose hash misses its target. */
export function unsolve(block: Block): Block {
  const target = decodeBits(block.header.bits).target;
  for (let nonce = block.header.nonce + 1n; ; nonce++) {
    const header = { ...block.header, nonce };
    if (!hashMeetsTarget(hashHeader(header), target)) return { header, txs: block.txs };
  }
}

/** Recomputes the merkle root from `txs` and solves the header again. */
export function reseal(block: Block, txs: readonly Tx[] = block.txs): Block {
  const header = { ...block.header, merkleRoot: merkleRoot(txs.map(hashTx)), nonce: 0n };
  return solve({ header, txs });
}

/** A chain held in memory with its account state, grown one validated block at a time. */
export class ChainBuilder {
  readonly blocks: Block[];
  accounts = new Map<string, Account>();

  constructor(
    readonly params: NetworkParams = easyParams,
    readonly nowMs: number = defaultNowMs(params),
  ) {
    this.blocks = [genesisBlock(params)];
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  get height(): number {
    return this.tip.header.height;
  }

  account(key: Uint8Array): Account | undefined {
    return this.accounts.get(toHex(key));
  }

  /** The context the next block is validated in. */
  context(nowMs = this.nowMs): BlockContext {
    const parent = this.tip.header;
    const ctx = headerContext(
      this.params,
      parent,
      hashHeader(parent),
      (h) => this.blocks[h]!.header,
      nowMs,
    );
    return { ...ctx, state: mapReader(this.accounts), verify };
  }

  /** A signed transfer; its nonce defaults to the sender's next one at the tip. */
  transfer(from: Party, to: Party, amount: bigint, options: TransferOptions = {}): Transfer {
    return signTransfer(
      {
        type: 'transfer',
        chainId: options.chainId ?? this.params.chainId,
        from: from.key,
        to: to.key,
        amount,
        fee: options.fee ?? 1000n,
        nonce: options.nonce ?? this.account(from.key)?.nonce ?? 0n,
      },
      from.secret,
    );
  }

  /** The coinbase the next block would carry. */
  coinbase(amount: bigint, to: Uint8Array = miner.key): Coinbase {
    return { type: 'coinbase', chainId: this.params.chainId, height: this.height + 1, to, amount };
  }

  /** A solved block on the tip, not appended (it may be invalid, on purpose). */
  next(options: NextBlockOptions = {}): Block {
    const height = this.height + 1;
    const transfers = options.transfers ?? [];
    const fees = transfers.reduce((sum, tx) => sum + tx.fee, 0n);
    const template = buildBlockTemplate({
      params: this.params,
      parentHash: hashHeader(this.tip.header),
      height,
      bits: options.bits ?? this.context().requiredBits,
      timestampMs: options.timestampMs ?? timestampAt(this.params, height),
      minerKey: options.minerKey ?? miner.key,
      selection: { txs: transfers, fees },
    });
    const [built, ...rest] = template.txs as [Coinbase, ...Tx[]];
    const coinbase =
      options.coinbaseAmount === undefined ? built : { ...built, amount: options.coinbaseAmount };
    const txs = options.txs ?? [coinbase, ...rest];
    const header = { ...template.header, merkleRoot: merkleRoot(txs.map(hashTx)) };
    return solve({ header: { ...header, ...options.header }, txs });
  }

  /** validateBlock of `block` on the tip. */
  validate(block: Block, nowMs = this.nowMs): Result<ValidatedBlock> {
    return validateBlock(block, this.context(nowMs));
  }

  /** Validates `block` on the tip and appends it; throws if it is invalid. */
  append(block: Block): Block {
    const result = this.validate(block);
    if (!result.ok)
      throw new Error(`block ${block.header.height}: ${result.code} ${result.detail}`);
    this.accounts = applyDiff(this.accounts, result.value.diff);
    this.blocks.push(block);
    return block;
  }

  /** Builds, validates and appends the next block. */
  mine(options: NextBlockOptions = {}): Block {
    return this.append(this.next(options));
  }

  /** Mines `count` empty blocks. */
  mineEmpty(count: number): this {
    for (let i = 0; i < count; i++) this.mine();
    return this;
  }

  /**
   * An independent copy of the first `length` blocks (genesis counted), their accounts applied
   * again: the start of a branch forking after block `length - 1`.
   */
  forkAt(length: number): ChainBuilder {
    const copy = new ChainBuilder(this.params, this.nowMs);
    for (const block of this.blocks.slice(1, length)) copy.append(block);
    return copy;
  }

  /** An independent copy at the same tip (blocks are immutable and shared). */
  clone(): ChainBuilder {
    const copy = new ChainBuilder(this.params, this.nowMs);
    copy.blocks.splice(0, copy.blocks.length, ...this.blocks);
    copy.accounts = new Map(this.accounts);
    return copy;
  }
}

/** The subsidy of the next block of `chain`. */
/**
 * A block on `parent` paying `miner`, mined here, outside any node: how tests make a rival
 * branch for a node to weigh (on easyParams, one hash or two).
 */
export function blockOn(parent: Block, txs: readonly Tx[] = []): Block {
  const template = buildBlockTemplate({
    params: easyParams,
    parentHash: hashHeader(parent.header),
    height: parent.header.height + 1,
    bits: easyParams.genesisBits,
    timestampMs: Math.max(Date.now(), parent.header.timestampMs + 1),
    minerKey: miner.key,
    selection: { txs: txs.filter((tx) => tx.type === 'transfer'), fees: 0n },
  });
  return solveBlock(template)!;
}

/**
 * A transfer Bob signs though he has nothing: it passes every check of a block until the block
 * is connected against state, where it fails TX_INSUFFICIENT_FUNDS.
 */
export function bobOverspends(): Transfer {
  return signTransfer(
    {
      type: 'transfer',
      chainId: easyParams.chainId,
      from: bob.key,
      to: miner.key,
      amount: 5n,
      fee: 1n,
      nonce: 0n,
    },
    bob.secret,
  );
}

export function nextSubsidy(chain: ChainBuilder): bigint {
  return blockSubsidy(chain.params, chain.height + 1);
}

/** Two blocks: the second pays alice and bob 10 coins each from the first block's reward. */
export function fundedChain(): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  b.mine({
    transfers: [
      b.transfer(miner, alice, 10n * COIN),
      b.transfer(miner, bob, 10n * COIN, { nonce: 1n }),
    ],
  });
  return b;
}

/** Blocks as the branch a sync fetches the bodies of (fetchBatch.ts's PendingHeader each). */
export function pendingBranch(blocks: readonly Block[]) {
  return blocks.map((block) => {
    const hash = hashHeader(block.header);
    return { header: block.header, hash, hashHex: toHex(hash) };
  });
}
