/**
 * The transfers a CLI wallet sent and no block has confirmed yet, in `<dir>/<name>.sent` (JSON,
 * mode 0600; not `.json`, so it is never taken for a keystore). `send` and `history` first ask
 * the node about each (src/wallet/resend.ts): one the node no longer knows (it crashed before it
 * journaled it, it is another node, it expired) is sent again; one confirmed or refused for good
 * is forgotten, with a line saying so.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { follow, type ResendClient, type SentTransfer, stillFollowed } from '../../wallet/index.js';
import type { Terminal } from '../io.js';

export const sentPathOf = (dir: string, wallet: string): string => join(dir, `${wallet}.sent`);

export function readSent(path: string): SentTransfer[] {
  try {
    const list = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return Array.isArray(list) ? (list as SentTransfer[]) : [];
  } catch {
    return []; // none yet, or unreadable: nothing to follow
  }
}

export function writeSent(path: string, list: readonly SentTransfer[]): void {
  if (list.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  writeFileSync(`${path}.tmp`, JSON.stringify(list, null, 1), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** Adds a transfer just sent. */
export function recordSent(path: string, sent: SentTransfer): void {
  writeSent(path, [...readSent(path).filter((s) => s.id !== sent.id), sent]);
}

/** Follows every recorded transfer on `client`'s node, re-sending what it lost; says what it did. */
export async function followSent(
  path: string,
  client: ResendClient,
  term: Pick<Terminal, 'note'>,
): Promise<void> {
  const list = readSent(path);
  if (list.length === 0) return;
  const kept: SentTransfer[] = [];
  // In order: a sender's nonces n, n + 1 must reach the node in turn.
  for (const sent of [...list].sort((a, b) => Number(BigInt(a.tx.nonce) - BigInt(b.tx.nonce)))) {
    const followed = await follow(client, sent);
    if (followed.state === 'resent')
      term.note(`Sent transaction ${sent.id} again: it was ${followed.before}.`);
    if (followed.state === 'refused')
      term.note(
        `Transaction ${sent.id} can no longer be confirmed (${followed.code}: ${followed.message}); it is forgotten.`,
      );
    if (stillFollowed(followed)) kept.push(sent);
  }
  writeSent(path, kept);
}
