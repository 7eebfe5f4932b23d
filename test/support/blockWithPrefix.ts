/** Blocks whose hash starts with a chosen prefix: two rivals sharing one, for the search's tests. */
import {
  type Block,
  buildBlockTemplate,
  decodeBits,
  hashHeader,
  hashMeetsTarget,
  toHex,
} from '../../src/core/index.js';
import { bob, easyParams } from './chainBuilder.js';

/** A solved block on `parent` whose hash starts with `prefix`; `salt` makes each one differ. */
export function blockWithPrefix(parent: Block, prefix: string, salt: number): Block {
  const target = decodeBits(easyParams.genesisBits).target;
  const template = buildBlockTemplate({
    params: easyParams,
    parentHash: hashHeader(parent.header),
    height: 1,
    bits: easyParams.genesisBits,
    timestampMs: parent.header.timestampMs + 1_000 + salt,
    minerKey: bob.key,
    selection: { txs: [], fees: 0n },
  });
  for (let nonce = 0n; ; nonce++) {
    const header = { ...template.header, nonce };
    const hash = hashHeader(header);
    if (toHex(hash).startsWith(prefix) && hashMeetsTarget(hash, target))
      return { header, txs: template.txs };
  }
}
