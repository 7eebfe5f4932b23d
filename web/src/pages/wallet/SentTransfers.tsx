/**
 * The transfers sent from this page, each with its status as the node it went to tells it:
 * pending, then confirmed in a block. Checked again on every event of this page's node, and
 * every few seconds while pending (the node it went to may be another one). They are kept in
 * localStorage until confirmed, so a reload keeps following them; one the node no longer knows
 * (it lost its mempool, it expired) is sent again (src/wallet/resend.ts).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createClient } from '../../../../src/api/client.ts';
import { type Followed, follow, type SentTransfer } from '../../../../src/wallet/resend.ts';
import { BlockLink, TxLink } from '../../components/Links.tsx';
import { useNodeEvents } from '../../node.tsx';

export type Sent = SentTransfer;

const RECHECK_MS = 3_000;
const STORAGE_KEY = 'blockyard.sent';

/** The transfers of `from` addresses on `network` still followed (a signed transfer holds no secret). */
export function loadSent(network: string, from: readonly string[]): Sent[] {
  try {
    const all = JSON.parse(window.localStorage.getItem(`${STORAGE_KEY}.${network}`) ?? '[]');
    return Array.isArray(all) ? (all as Sent[]).filter((s) => from.includes(s.tx.from)) : [];
  } catch {
    return [];
  }
}

function storeSent(network: string, change: (list: Sent[]) => Sent[]): void {
  const key = `${STORAGE_KEY}.${network}`;
  let list: Sent[] = [];
  try {
    const parsed = JSON.parse(window.localStorage.getItem(key) ?? '[]');
    if (Array.isArray(parsed)) list = parsed as Sent[];
  } catch {
    // unreadable: start again
  }
  window.localStorage.setItem(key, JSON.stringify(change(list)));
}

export const rememberSent = (network: string, sent: Sent) =>
  storeSent(network, (list) => [...list.filter((s) => s.id !== sent.id), sent]);
const forgetSent = (network: string, id: string) =>
  storeSent(network, (list) => list.filter((s) => s.id !== id));

export function SentTransfers({ sent, network }: { sent: readonly Sent[]; network: string }) {
  if (sent.length === 0) return null;
  return (
    <>
      <h3>Sent from this page</h3>
      <ul className="sent-list">
        {sent.map((s) => (
          <SentStatus key={s.id} sent={s} network={network} />
        ))}
      </ul>
    </>
  );
}

function SentStatus({ sent, network }: { sent: Sent; network: string }) {
  const client = useMemo(() => createClient({ baseUrl: sent.nodeUrl }), [sent.nodeUrl]);
  const [state, setState] = useState<Followed>();
  const [resent, setResent] = useState<string>();

  const check = useCallback(() => {
    void follow(client, sent).then((next) => {
      if (next.state === 'resent') setResent(next.before);
      if (next.state === 'confirmed' || next.state === 'refused') forgetSent(network, sent.id);
      setState(next);
    });
  }, [client, sent, network]);
  useNodeEvents(['block', 'reorg', 'tx'], check);
  const settled = state?.state === 'confirmed' || state?.state === 'refused';
  useEffect(() => {
    check();
    if (settled) return;
    const timer = setInterval(check, RECHECK_MS);
    return () => clearInterval(timer);
  }, [check, settled]);

  return (
    <li className="sent" data-testid="sent">
      <div className="row">
        <span>Transaction</span> <TxLink id={sent.id} full />
      </div>
      <div className="row" role="status">
        {state === undefined && <span className="muted">checking…</span>}
        {(state?.state === 'pending' || state?.state === 'resent') && (
          <span className="badge warn" data-testid="sent-status">
            pending
          </span>
        )}
        {state?.state === 'confirmed' && (
          <>
            <span className="badge good" data-testid="sent-status">
              confirmed
            </span>
            <span>
              in block <BlockLink id={state.height} />, {state.confirmations} confirmation
              {state.confirmations === 1 ? '' : 's'}
            </span>
          </>
        )}
        {state?.state === 'refused' && (
          <span className="badge bad" data-testid="sent-status">
            refused
          </span>
        )}
        {sent.nodeUrl !== window.location.origin && (
          <span className="muted">via {sent.nodeUrl}</span>
        )}
      </div>
      {resent && (
        <p className="muted" data-testid="sent-again">
          Sent again: it was {resent}.
        </p>
      )}
      {state?.state === 'refused' && (
        <p className="bad">
          It can no longer be confirmed ({state.code}): {state.message}
        </p>
      )}
      {state?.state === 'unknown' && (
        <p className="muted">The node could not be asked ({state.code}); trying again.</p>
      )}
    </li>
  );
}
