/**
 * A fresh folder for each test of a file and the path of a SQLite store in it, removed after the
 * test: the set-up the SQLite store's tests share.
 */
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { makeTempDir } from './nodeFixtures.js';

export interface TempStore {
  /** The test's own folder. */
  readonly dir: string;
  /** `chain.sqlite` in it (not created: openSqliteStore makes it). */
  readonly path: string;
}

/** Registers the set-up and clean-up in the describe block (or file) it is called in. */
export function tempStoreEachTest(): TempStore {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => {
    temp?.remove();
    temp = undefined;
  });
  const dir = () => {
    if (!temp) throw new Error('tempStoreEachTest: used outside a test');
    return temp.dir;
  };
  return {
    get dir() {
      return dir();
    },
    get path() {
      return join(dir(), 'chain.sqlite');
    },
  };
}
