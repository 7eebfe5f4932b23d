/**
 * `send --wait N`: follows a sent transaction on the node until N blocks confirm it, showing a
 * progress line on stderr (redrawn in place on a terminal, a plain line per change otherwise).
 *
 * The node has no "wait for this" route, so this asks /api/tx/:id every POLL_MS. A transaction
 * the node says it dropped (with the reason), or no longer knows at all (NOT_FOUND several times
 * running), ends the wait; one that goes from confirmed back to pending was undone by a
 * reorganisation and waits again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientError, type TxView } from '../../api/client.js';
import { CliError, type Terminal } from '../io.js';
import type { WalletContext } from './context.js';

const POLL_MS = 500;
/** How many answers in a row must say "no such transaction" before it counts as dropped. */
const MISSING_TO_DROP = 3;

export type ConfirmedView = Extract<TxView, { status: 'confirmed' }>;

/** What /api/tx/:id says of a transfer that left the mempool unmined. */
export interface DroppedView {
  status: 'dropped';
  transaction: TxView['transaction'];
  reason: { code: string; message: string };
  dropped_at_ms: number;
}

interface Progress {
  show(status: string, elapsedMs: number): void;
  end(): void;
}

function progressLine(term: Terminal, want: number): Progress {
  const head = `waiting for ${want} confirmation${want === 1 ? '' : 's'}:`;
  if (term.liveStderr) {
    let drawn = false;
    return {
      show(status, elapsedMs) {
        drawn = true;
        term.writeStderr(`\r\x1b[K  ${head} ${status} · ${Math.floor(elapsedMs / 1000)} s`);
      },
      end() {
        if (drawn) term.writeStderr('\r\x1b[K');
      },
    };
  }
  let last = '';
  return {
    show(status) {
      if (status === last || term.json) return;
      last = status;
      term.note(`  ${head} ${status}`);
    },
    end() {},
  };
}

export async function followTransaction(
  ctx: WalletContext,
  id: string,
  want: number,
  timeoutMs: number,
): Promise<ConfirmedView> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const progress = progressLine(ctx.term, want);
  let missing = 0;
  let wasConfirmed = false;
  try {
    for (;;) {
      let status: string;
      try {
        const view = (await ctx.client.tx(id)) as TxView | DroppedView;
        missing = 0;
        if (view.status === 'dropped') {
          throw new CliError(
            'CLI_TX_DROPPED',
            `the node dropped transaction ${id}: ${view.reason.message} [${view.reason.code}]; check the balance before sending again`,
            { transaction_id: id, reason: view.reason },
          );
        }
        if (view.status === 'confirmed') {
          if (view.confirmations >= want) return view;
          wasConfirmed = true;
          status = `${view.confirmations} of ${want}, in block ${view.height}`;
        } else {
          status = wasConfirmed
            ? 'back in the mempool (a reorganisation undid its block)'
            : 'in the mempool, not mined yet';
        }
      } catch (error) {
        if (!(error instanceof ClientError)) throw error;
        if (error.code === 'API_NOT_FOUND') {
          if (++missing >= MISSING_TO_DROP) {
            throw new CliError(
              'CLI_TX_DROPPED',
              `the node at ${ctx.nodeUrl} no longer knows transaction ${id}; check the balance before sending again`,
              { transaction_id: id },
            );
          }
          status = 'not found on the node';
        } else if (error.code === 'CLIENT_UNREACHABLE') {
          status = 'the node does not answer';
        } else {
          throw error;
        }
      }
      const now = Date.now();
      if (now >= deadline) {
        throw new CliError(
          'CLI_WAIT_TIMEOUT',
          `after ${Math.round((now - started) / 1000)} s, transaction ${id} is ${status}; it may still be mined: \`blockyard chain tx ${id}\` shows it`,
          { transaction_id: id },
        );
      }
      progress.show(status, now - started);
      await sleep(Math.min(POLL_MS, deadline - now));
    }
  } finally {
    progress.end();
  }
}
