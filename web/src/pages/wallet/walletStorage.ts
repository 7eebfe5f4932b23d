/**
 * The browser's wallets: encrypted keystores only, in localStorage under `blockyard.keystores`
 * as a JSON array of keystore objects exactly as `sealKeystore` makes them (the file
 * `blockyard wallet` reads). Wallets are told apart by name, as the CLI's files are.
 *
 * SECURITY: nothing else is ever stored: no mnemonic, no key, no password. An unlocked wallet's
 * keys live in React state and are gone with the page.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { type Keystore, parseKeystore } from '../../../../src/wallet/index.ts';
import { failureError } from './ProblemNote.tsx';

export const STORAGE_KEY = 'blockyard.keystores';

/** What a wallet name may be: the CLI's rule, so a downloaded file imports there unchanged. */
export const WALLET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface Stored {
  readonly keystores: Keystore[];
  /** Entries that are not keystores (another program's, or edited by hand): kept, not shown. */
  readonly others: unknown[];
}

function load(): Stored {
  let entries: unknown;
  try {
    entries = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
  } catch {
    entries = [];
  }
  const keystores: Keystore[] = [];
  const others: unknown[] = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const parsed = parseKeystore(entry);
    if (parsed.ok) keystores.push(parsed.value);
    else others.push(entry);
  }
  return { keystores, others };
}

function save(stored: Stored): void {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify([...stored.keystores, ...stored.others]));
}

export interface StoredWallets {
  readonly keystores: readonly Keystore[];
  /** How many stored entries are not readable keystores. */
  readonly unreadable: number;
  /** Adds a wallet; WALLET_EXISTS when a different wallet has that name. */
  add(keystore: Keystore): ClientError | undefined;
  /** Sets how many addresses the wallet shows (the keystore's unauthenticated `accounts`). */
  setAccounts(name: string, accounts: number): void;
  remove(name: string): void;
}

export function useStoredWallets(): StoredWallets {
  const [stored, setStored] = useState(load);
  useEffect(() => {
    // Another tab added or removed a wallet.
    const onStorage = (e: StorageEvent) => {
      if (e.key === STORAGE_KEY || e.key === null) setStored(load());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const change = useCallback((edit: (keystores: Keystore[]) => Keystore[]) => {
    const current = load();
    const next = { ...current, keystores: edit(current.keystores) };
    save(next);
    setStored(next);
  }, []);

  const add = useCallback(
    (keystore: Keystore) => {
      const same = load().keystores.find((k) => k.name === keystore.name);
      if (same && same.ciphertext === keystore.ciphertext) return undefined;
      if (same) {
        return failureError({
          code: 'WALLET_EXISTS',
          detail: `this browser already has a different wallet named "${keystore.name}"`,
        });
      }
      change((keystores) => [...keystores, keystore]);
      return undefined;
    },
    [change],
  );
  const setAccounts = useCallback(
    (name: string, accounts: number) =>
      change((keystores) => keystores.map((k) => (k.name === name ? { ...k, accounts } : k))),
    [change],
  );
  const remove = useCallback(
    (name: string) => change((keystores) => keystores.filter((k) => k.name !== name)),
    [change],
  );

  return {
    keystores: stored.keystores,
    unreadable: stored.others.length,
    add,
    setAccounts,
    remove,
  };
}

/** The keystore file as the CLI writes it (2-space JSON and a newline), saved by the browser. */
export function downloadKeystore(keystore: Keystore): void {
  const text = `${JSON.stringify(keystore, null, 2)}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${keystore.name}.keystore.json`;
  document.body.append(link);
  link.click();
  link.remove();
  // NOTE: revoked on the next task, once the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
