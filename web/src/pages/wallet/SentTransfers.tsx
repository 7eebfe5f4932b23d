/**
 * The transfers sent from this page, each with its status as the node it went to tells it:
 * pending, then confirmed in a block. Checked again on every event of this page's node, and
 * every few seconds while pending (the node it went to may be another one).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type ClientError, createClient, type TxView } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { BlockLink, TxLink } from '../../components/Links.tsx';
import { asClientError, useNodeEvents } from '../../node.tsx';

export interface Sent {
  readonly id: string;
  readonly nodeUrl: string;
}

const RECHECK_MS = 3_000;

export function SentTransfers({ sent }: { sent: readonly Sent[] }) {
  if (sent.length === 0) return null;
  return (
    <>
      <h3>Sent from this page</h3>
      <ul className="sent-list">
        {sent.map((s) => (
          <SentStatus key={s.id} sent={s} />
        ))}
      </ul>
    </>
  );
}

function SentStatus({ sent }: { sent: Sent }) {
  const client = useMemo(() => createClient({ baseUrl: sent.nodeUrl }), [sent.nodeUrl]);
  const [view, setView] = useState<TxView>();
  const [error, setError] = useState<ClientError>();

  const check = useCallback(() => {
    client.tx(sent.id).then(
      (next) => {
        setView(next);
        setError(undefined);
      },
      (e: unknown) => setError(asClientError(e)),
    );
  }, [client, sent.id]);
  useNodeEvents(['block', 'reorg', 'tx'], check);
  const confirmed = view?.status === 'confirmed';
  useEffect(() => {
    check();
    if (confirmed) return;
    const timer = setInterval(check, RECHECK_MS);
    return () => clearInterval(timer);
  }, [check, confirmed]);

  return (
    <li className="sent" data-testid="sent">
      <div className="row">
        <span>Transaction</span> <TxLink id={sent.id} full />
      </div>
      <div className="row" role="status">
        {view === undefined && !error && <span className="muted">checking…</span>}
        {view?.status === 'pending' && (
          <span className="badge warn" data-testid="sent-status">
            pending
          </span>
        )}
        {view?.status === 'confirmed' && (
          <>
            <span className="badge good" data-testid="sent-status">
              confirmed
            </span>
            <span>
              in block <BlockLink id={view.height} />, {view.confirmations} confirmation
              {view.confirmations === 1 ? '' : 's'}
            </span>
          </>
        )}
        {sent.nodeUrl !== window.location.origin && (
          <span className="muted">via {sent.nodeUrl}</span>
        )}
      </div>
      <ErrorNote error={error} />
    </li>
  );
}
