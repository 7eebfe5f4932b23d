/**
 * The blocks the Tamper page starts from: consecutive main-chain blocks read from the node with
 * GET /api/blocks/:height and parsed back into the core's types, so every hash on the page is
 * recomputed from the bytes and none is taken from the node's word.
 */
import { type BlockView, type Client, ClientError } from '../../../../src/api/client.ts';
import { blockFromJson } from '../../../../src/core/json.ts';
import { tutorialParams } from '../../../../src/core/params.ts';
import type { Block } from '../../../../src/core/types.ts';

export const WINDOW_SIZE = 5;

/** Heights `from` to `to` (inclusive), in order. */
export async function loadWindow(
  client: Client,
  from: number,
  to: number,
  addressPrefix: string,
): Promise<Block[]> {
  const heights = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  const views = await Promise.all(heights.map((h) => client.block(h)));
  return views.map((view) => blockFromView(view, addressPrefix));
}

/** The core's block from the API's view of it (its hash checked against the header's). */
export function blockFromView(view: BlockView, addressPrefix: string): Block {
  // The API's view adds fields (target, confirmations, …) that the block's JSON does not have.
  const { hash, version, height, prev_hash, merkle_root, timestamp_ms, bits, nonce, transactions } =
    view;
  const json = { hash, version, height, prev_hash, merkle_root, timestamp_ms, bits, nonce };
  // NOTE: blockFromJson reads only the address prefix from the network's parameters.
  const parsed = blockFromJson({ ...json, transactions }, { ...tutorialParams, addressPrefix });
  if (!parsed.ok) {
    throw new ClientError(parsed.code, `block ${view.height}: ${parsed.detail}`, 200);
  }
  return parsed.value;
}
