/**
 * `blockyard wallet verify <txid>`: a light client's check that a transaction is in the chain,
 * trusting the node for nothing but the bytes it sends. It asks for the node's tip, the
 * transaction's merkle proof and the main chain's headers above its block, then checks here with
 * the core (checkTxProof, the same code the browser's transaction page runs): the header hashes
 * to the block, meets its target, the merkle path ends at its merkle root, and the headers above
 * link it, each with its proof of work, to the node's tip. Any failure is CLI_PROOF_INVALID.
 */
import { parseArgs } from 'node:util';
import { parseHex, toHex } from '../../core/index.js';
import { verifyTxProof } from '../../wallet/index.js';
import { CliError, usageError } from '../io.js';
import { commonOptions, createWalletContext, type WalletIo } from './context.js';

export const verifyUsage = `usage: blockyard wallet verify <transaction id> [options]

Checks, here and not on the node's word, that a confirmed transaction is in the chain: the
block's header hashes to the block's hash and meets its target, the transaction's merkle path
leads to the header's merkle root, and the headers above the block link it, each with its proof
of work, to the tip of the node's most-work chain.
`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function runVerify(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: commonOptions,
    allowPositionals: true,
    strict: true,
  });
  const id = positionals[0]?.toLowerCase();
  if (!id || !parseHex(id, 32)) throw usageError('give the transaction id: 64 hex characters');
  const ctx = createWalletContext(io, values);
  const { proof, verdict } = await verifyTxProof(ctx.client, id);
  const { checks, pathHashes } = verdict;
  const failed = checks.filter((c) => !c.ok);
  if (!verdict.ok || !verdict.header) {
    throw new CliError(
      'CLI_PROOF_INVALID',
      `the proof of ${id} from ${ctx.nodeUrl} does not hold: ${failed.map((c) => `${c.check} fails (${c.detail})`).join('; ')}`,
      { checks },
    );
  }
  const root = toHex(verdict.header.merkleRoot);
  ctx.term.result(
    {
      id,
      verified: true,
      block_hash: proof.block_hash,
      height: proof.height,
      index: proof.index,
      // Counted here from the headers checked, not taken from the node's word.
      confirmations: verdict.confirmations,
      merkle_root: root,
      path: proof.path,
      checks,
    },
    () =>
      [
        `Transaction ${id} is in block #${proof.height} ${proof.block_hash}, ${plural(verdict.confirmations, 'confirmation')} deep, checked here:`,
        ...checks.map((c) => `  ✓ ${c.check}`),
        `  merkle path (${plural(proof.path.length, 'step')}):`,
        `    ${id}  (the transaction id)`,
        ...proof.path.map(
          (s, i) => `  + ${s.hash} on the ${s.side}\n  = ${toHex(pathHashes[i + 1]!)}`,
        ),
        `  root ${root} = the header's merkle root`,
      ].join('\n'),
  );
}
