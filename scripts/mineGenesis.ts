/**
 * Finds the smallest nonce that gives a network's genesis block a valid proof of work.
 * Run once when a network's genesis changes: `npx tsx scripts/mineGenesis.ts tutorial`.
 * The result is frozen in src/core/params.ts (genesisNonce) and test/vectors/genesis.json.
 */
import { createHash } from 'node:crypto';
import { encodeHeader, HEADER_NONCE_OFFSET } from '../src/core/encoding/header.js';
import { genesisBlock } from '../src/core/genesis.js';
import { customParams, type NetworkName, networks } from '../src/core/params.js';
import { decodeBits } from '../src/core/pow.js';

const name = (process.argv[2] ?? 'tutorial') as NetworkName;
const params = customParams(networks[name], { genesisNonce: 0n });
const header = encodeHeader(genesisBlock(params).header);
const target = decodeBits(params.genesisBits).target;
const view = new DataView(header.buffer);
for (let nonce = 0n; ; nonce++) {
  view.setBigUint64(HEADER_NONCE_OFFSET, nonce);
  const once = createHash('sha256').update(header).digest();
  const hash = createHash('sha256').update(once).digest();
  if (BigInt(`0x${hash.toString('hex')}`) <= target) {
    console.log(`${name}: genesisNonce ${nonce}n, hash ${hash.toString('hex')}`);
    break;
  }
}
