/**
 * `blockyard wallet verify <txid>`: a light client's check that a transaction is in a block,
 * trusting the node for nothing but the bytes it sends. It asks GET /api/tx/:id/proof, then
 * checks here, with the core: the header's canonical bytes hash (SHA-256d) to the block's hash;
 * that hash meets the target the header's bits declare (proof of work); and the merkle path,
 * re-hashed from the transaction id up, ends at the header's merkle root. Any failure is
 * CLI_PROOF_INVALID. What it does not check: that the block is on the chain with the most work
 * (that takes the headers from genesis, as a full light client keeps them).
 */
import { parseArgs } from 'node:util';
import {
  decodeBits,
  decodeHeader,
  fromHex,
  hashHeader,
  hashMeetsTarget,
  merklePathHashes,
  parseHex,
  toHex,
} from '../../core/index.js';
import { CliError, fromFailure, usageError } from '../io.js';
import { commonOptions, createWalletContext, type WalletIo } from './context.js';

export const verifyUsage = `usage: blockyard wallet verify <transaction id> [options]

Checks, here and not on the node's word, that a confirmed transaction is in its block: the
block's header hashes to the block's hash and meets its target, and the transaction's merkle
path leads to the header's merkle root.
`;

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
  const proof = await ctx.client.request('txProof', { params: { id } });

  const headerBytes = fromHex(proof.header_hex);
  const decoded = decodeHeader(headerBytes);
  if (!decoded.ok) throw fromFailure(decoded);
  const header = decoded.value;
  const hash = toHex(hashHeader(header));
  const target = decodeBits(header.bits).target;
  const hashes = merklePathHashes(
    fromHex(id),
    proof.path.map((s) => ({ sibling: fromHex(s.hash), side: s.side })),
  );
  const reached = toHex(hashes.at(-1)!);
  const root = toHex(header.merkleRoot);
  const checks = [
    { check: 'header hashes to the block', ok: hash === proof.block_hash, detail: hash },
    {
      check: 'proof of work: the hash is below the target',
      ok: hashMeetsTarget(hashHeader(header), target),
      detail: `target ${target.toString(16).padStart(64, '0')}`,
    },
    { check: "merkle path ends at the header's merkle root", ok: reached === root, detail: root },
  ];
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new CliError(
      'CLI_PROOF_INVALID',
      `the proof of ${id} from ${ctx.nodeUrl} does not hold: ${failed.map((c) => c.check).join('; ')} fails`,
      { checks },
    );
  }
  ctx.term.result(
    {
      id,
      verified: true,
      block_hash: proof.block_hash,
      height: proof.height,
      index: proof.index,
      confirmations: proof.confirmations,
      merkle_root: root,
      path: proof.path,
      checks,
    },
    () =>
      [
        `Transaction ${id} is in block #${proof.height} ${proof.block_hash} (${proof.confirmations} confirmation${proof.confirmations === 1 ? '' : 's'}), checked here:`,
        ...checks.map((c) => `  ✓ ${c.check}`),
        `  merkle path (${proof.path.length} step${proof.path.length === 1 ? '' : 's'}):`,
        `    ${id}  (the transaction id)`,
        ...proof.path.map((s, i) => `  + ${s.hash} on the ${s.side}\n  = ${toHex(hashes[i + 1]!)}`),
        `  root ${root} = the header's merkle root`,
      ].join('\n'),
  );
}
