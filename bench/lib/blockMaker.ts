/**
 * Blocks for the connect benchmarks, built ahead of the chain that will judge them: easy proof of
 * work (test/support/chainBuilder.ts's params), one second between blocks from genesis, the
 * coinbase claiming subsidy + fees. Nothing is validated here: the Chain under test does that.
 */
import {
  type Block,
  buildBlockTemplate,
  genesisBlock,
  hashHeader,
  type NetworkParams,
  solveBlock,
  type Transfer,
} from '../../src/core/index.js';

export class BlockMaker {
  private parent: Block;

  constructor(
    readonly params: NetworkParams,
    private readonly minerKey: Uint8Array,
  ) {
    this.parent = genesisBlock(params);
  }

  get height(): number {
    return this.parent.header.height;
  }

  /** The next block with these transfers (in this order), solved; it becomes the parent. */
  next(transfers: readonly Transfer[], minerKey = this.minerKey): Block {
    const height = this.height + 1;
    const template = buildBlockTemplate({
      params: this.params,
      parentHash: hashHeader(this.parent.header),
      height,
      bits: this.params.genesisBits,
      timestampMs: this.params.genesisTimestampMs + height * 1000,
      minerKey,
      selection: { txs: transfers, fees: transfers.reduce((sum, tx) => sum + tx.fee, 0n) },
    });
    const solved = solveBlock(template, 10_000_000);
    if (!solved) throw new Error(`block ${height} could not be solved`);
    this.parent = solved;
    return solved;
  }
}
