/**
 * `blockyard node --reset` (issue 15, point 7): a network started over. The chain's files are
 * deleted, under the data directory's lock so that a running node is never harmed; the node's
 * key (its address) and its API token stay, as an anvil restart keeps its accounts' keys.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MEMPOOL_FILE } from './mempoolFile.js';

/** What --reset deletes: the chain (blocks, state, peer book, mempool journal) and an old mempool file. */
const CHAIN_FILES = ['chain.sqlite', 'chain.sqlite-wal', 'chain.sqlite-shm', MEMPOOL_FILE];

export interface ChainFile {
  readonly name: string;
  readonly bytes: number;
}

/** The chain files present in a network's folder, with their sizes. */
export function chainFilesIn(dataPath: string): ChainFile[] {
  return CHAIN_FILES.filter((name) => existsSync(join(dataPath, name))).map((name) => ({
    name,
    bytes: statSync(join(dataPath, name)).size,
  }));
}

/** Deletes them; call only while holding the folder's lock (dataDirLock.ts). */
export function deleteChainFiles(dataPath: string): ChainFile[] {
  const files = chainFilesIn(dataPath);
  for (const file of files) rmSync(join(dataPath, file.name), { force: true });
  return files;
}
