/**
 * Canonical block bytes: the 92-byte header, a varint transaction count, then each
 * transaction's own bytes (each type has a fixed size, so no length prefixes).
 */
import type { Result } from '../result.js';
import type { Block } from '../types.js';
import { HEADER_SIZE, readHeader, writeHeader } from './header.js';
import type { Reader } from './reader.js';
import { decodeWith, readTx, txSize, writeTx } from './tx.js';
import { varintSize, Writer } from './writer.js';

export function blockSize(block: Block): number {
  let size = HEADER_SIZE + varintSize(block.txs.length);
  for (const tx of block.txs) size += txSize(tx);
  return size;
}

export function encodeBlock(block: Block): Uint8Array {
  const w = new Writer(blockSize(block));
  writeHeader(w, block.header);
  w.varint(block.txs.length);
  for (const tx of block.txs) writeTx(w, tx);
  return w.finish();
}

function readBlock(r: Reader): Block {
  const header = readHeader(r);
  const count = r.varint('transaction count');
  // SECURITY: no allocation sized by the count; each transaction must actually be there.
  const txs = [];
  for (let i = 0; i < count; i++) txs.push(readTx(r));
  return { header, txs };
}

export function decodeBlock(bytes: Uint8Array): Result<Block> {
  return decodeWith(bytes, 'block', readBlock);
}
