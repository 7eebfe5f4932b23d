/**
 * One node per data directory. A second node on the same folder would share the chain file, the
 * node key (and take its twin for itself) and overwrite the first one's api-token; so the first
 * node writes `node.lock` — its process id and, once it listens, its URL — created exclusively,
 * and a second one refuses to start, naming the holder. A lock left by a process that died
 * (kill -9, a power cut) names a process that no longer runs, and is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'node.lock';

export class DataDirInUseError extends Error {
  readonly code = 'NODE_DATA_DIR_IN_USE';
  constructor(
    readonly dataPath: string,
    readonly pid: number,
    readonly url: string | undefined,
  ) {
    super(
      `the data directory ${dataPath} is in use by another blockyard node (process ${pid}${url ? `, ${url}` : ''}); stop it, or give this node its own folder with --data-dir <dir>`,
    );
  }
}

export interface DataDirLock {
  /** Records the URL the node listens on, for the message a second node shows. */
  setUrl(url: string): void;
  release(): void;
}

/** Folders locked by this process (two nodes in one process, as tests run them, count too). */
const held = new Set<string>();

interface LockInfo {
  readonly pid: number;
  readonly url?: string;
}

export function lockDataDir(dataPath: string): DataDirLock {
  const path = join(dataPath, LOCK_FILE);
  if (held.has(path)) throw new DataDirInUseError(dataPath, process.pid, readLock(path)?.url);
  const write = (info: LockInfo) => writeFileSync(path, `${JSON.stringify(info)}\n`);
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      // Our own pid in a file we do not hold: an earlier process that had this pid, gone.
      const alive = holder ? holder.pid !== process.pid && isRunning(holder.pid) : isFresh(path);
      if (alive || attempt > 0)
        throw new DataDirInUseError(dataPath, holder?.pid ?? 0, holder?.url);
      // Left by a process that is gone: taken over (once; a racing twin that wins is running).
      rmSync(path, { force: true });
    }
  }
  write({ pid: process.pid });
  held.add(path);
  let released = false;
  return {
    setUrl: (url) => write({ pid: process.pid, url }),
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      rmSync(path, { force: true });
    },
  };
}

/** A lock file that cannot be read yet may be one a starting node is writing this instant. */
function isFresh(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number'
      ? { pid: info.pid, ...(info.url ? { url: info.url } : {}) }
      : undefined;
  } catch {
    return undefined; // being written this instant, or garbage: the caller treats it as stale once
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
