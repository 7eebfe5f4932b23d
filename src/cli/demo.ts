/**
 * `blockyard demo`: builds a short chain in memory on the tutorial network's rules — real proof of
 * work, real signatures — and shows what the protocol refuses. Nothing is saved.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  type Account,
  applyDiff,
  type Block,
  blockHashHex,
  buildBlockTemplate,
  COIN,
  encodeAddress,
  formatCoins,
  genesisBlock,
  hashHeader,
  headerContext,
  mapReader,
  selectTransactions,
  solveBlock,
  type Transfer,
  toHex,
  tutorialParams,
  validateBlock,
  validateChain,
} from '../core/index.js';
import { publicKeyFromSecret, signTransfer } from '../core/nobleEd25519.js';
import { createNodeVerifier } from '../crypto/nodeEd25519.js';

const out = (line = '') => process.stdout.write(`${line}\n`);

export async function runDemo(argv: readonly string[]): Promise<number> {
  parseArgs({ args: [...argv], options: {} }); // refuses unknown flags
  // NOTE: the tutorial network only: the reference miner would take minutes at devnet's target.
  const params = tutorialParams;
  const { verify } = createNodeVerifier();
  const alice = randomBytes(32);
  const bob = randomBytes(32);
  const aliceKey = publicKeyFromSecret(alice);
  const bobKey = publicKeyFromSecret(bob);
  const address = (key: Uint8Array) => encodeAddress(key, params.addressPrefix);

  out(`blockyard demo on the ${params.name} network (nothing is saved)`);
  out(`alice ${address(aliceKey)}`);
  out(`bob   ${address(bobKey)}`);
  const chain: Block[] = [genesisBlock(params)];
  let accounts = new Map<string, Account>();
  out(`\nblock 0 (genesis) ${blockHashHex(chain[0]!.header)}`);

  const mine = (pending: Transfer[]): Block => {
    const parent = chain[chain.length - 1]!;
    const parentHash = hashHeader(parent.header);
    const ctx = headerContext(
      params,
      parent.header,
      parentHash,
      (h) => chain[h]!.header,
      Date.now(),
    );
    const height = parent.header.height + 1;
    const selection = selectTransactions(pending, mapReader(accounts), params, height);
    const template = buildBlockTemplate({
      params,
      parentHash,
      height,
      bits: ctx.requiredBits,
      timestampMs: Math.max(Date.now(), ctx.medianTimePastMs + 1),
      minerKey: aliceKey,
      selection,
    });
    const started = performance.now();
    const block = solveBlock(template)!;
    const result = validateBlock(block, { ...ctx, state: mapReader(accounts), verify });
    if (!result.ok) throw new Error(`demo mined an invalid block: ${result.code} ${result.detail}`);
    accounts = applyDiff(accounts, result.value.diff);
    chain.push(block);
    const ms = (performance.now() - started).toFixed(0);
    out(
      `block ${height} ${toHex(result.value.hash)}  nonce ${block.header.nonce} (${ms} ms), ${block.txs.length} tx`,
    );
    return block;
  };

  mine([]);
  mine([]);
  const payment = signTransfer(
    {
      type: 'transfer',
      chainId: params.chainId,
      from: aliceKey,
      to: bobKey,
      amount: 5n * COIN,
      fee: 1000n,
      nonce: 0n,
    },
    alice,
  );
  out(`\nalice signs: 5 coins to bob, fee 0.00001, nonce 0`);
  mine([payment]);
  const balance = (key: Uint8Array) => formatCoins(accounts.get(toHex(key))?.balance ?? 0n);
  out(`balances: alice ${balance(aliceKey)}, bob ${balance(bobKey)}`);

  out('\nwhat the protocol refuses:');
  const replay = mine([payment]);
  out(`  the same payment again: left out of block ${replay.header.height} (its nonce is used)`);
  const tampered = structuredClone(chain);
  const forged = { ...payment, amount: 500n * COIN };
  tampered[3] = { header: tampered[3]!.header, txs: [tampered[3]!.txs[0]!, forged] };
  const verdict = validateChain(tampered, params, verify, Date.now());
  out(`  block 3 with the amount changed to 500: ${verdict.ok ? 'accepted?!' : verdict.code}`);
  return 0;
}
