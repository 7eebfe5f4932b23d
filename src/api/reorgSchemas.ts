/**
 * How a reorganisation's story looks over HTTP (GET /api/reorgs, the `reorg` event of
 * /api/events, a stale block's `stale`, a transaction's `life`), and the functions that write it
 * from src/mempool/reorgLog.ts's records (reorgView.ts). Amounts are base units, as everywhere
 * in the API. NOTE: schemas only: the contract, and so the browser, imports this file.
 */
import { type Static, Type } from '@sinclair/typebox';
import { BlockRefJson, Hex64, Nullable, object } from './schemas.js';

const Units = Type.String({ pattern: '^[0-9]{1,20}$', description: 'base units, as a string' });
const touchedFields = {
  id: Hex64,
  from: Type.String(),
  to: Type.String(),
  amount: Units,
  fee: Units,
  nonce: Units,
  left_in: Nullable(BlockRefJson),
};

export const ReorgJson = object({
  seq: Type.Integer({ description: "the node's reorganisations since it started, from 1" }),
  at_ms: Type.Integer(),
  depth: Type.Integer({ description: 'blocks taken off the main chain' }),
  // The first four as the event has always had them.
  old_tip: Hex64,
  new_tip: Hex64,
  fork_height: Type.Integer(),
  fork_hash: Hex64,
  old_height: Type.Integer(),
  new_height: Type.Integer(),
  left_behind: Type.Array(
    object({
      hash: Hex64,
      height: Type.Integer(),
      tx_count: Type.Integer(),
      replaced_by: Nullable(BlockRefJson),
    }),
    {
      description: 'the old branch, lowest first; each with the main-chain block now at its height',
    },
  ),
  new_blocks: Type.Array(BlockRefJson, { description: 'the new branch, lowest first' }),
  returned: Type.Array(object(touchedFields), {
    description: 'transfers of the blocks left behind, pending again',
  }),
  reconfirmed: Type.Array(object({ ...touchedFields, now_in: BlockRefJson }), {
    description: 'transfers of the blocks left behind that the new branch holds too',
  }),
  dropped: Type.Array(
    object({
      ...touchedFields,
      code: Type.String(),
      message: Type.String(),
      conflicts_with: Nullable(Hex64),
    }),
    { description: 'transfers the new branch made invalid, and why' },
  ),
});
export type ReorgJson = Static<typeof ReorgJson>;
