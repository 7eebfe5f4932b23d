/**
 * Mines one block now (the tutorials' GET/POST /mine, an operator action) and says which block
 * it made. The reward goes to the node's own address.
 */
import { useState } from 'react';
import type { Answer, ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { BlockLink } from '../../components/Links.tsx';
import { asClientError, useNode } from '../../node.tsx';

type Forged = Answer<'minePost'>;

export function MineNow() {
  const { client } = useNode();
  const [busy, setBusy] = useState(false);
  const [forged, setForged] = useState<Forged>();
  const [error, setError] = useState<ClientError>();

  async function mine() {
    setBusy(true);
    setError(undefined);
    try {
      setForged(await client.request('minePost'));
    } catch (e) {
      setForged(undefined);
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel">
      <h2>Mine one block</h2>
      <p className="muted">
        Puts the pending transactions into a block and searches for its proof of work now.
      </p>
      <button type="button" className="primary" onClick={mine} disabled={busy}>
        {busy ? 'Mining…' : 'Mine'}
      </button>
      <div aria-live="polite">
        {forged && (
          <p className="notice" data-testid="mined">
            {forged.message}: block <BlockLink id={forged.height} /> (
            <BlockLink id={forged.hash} />) with {forged.transactions.length}{' '}
            {forged.transactions.length === 1 ? 'transaction' : 'transactions'}.
          </p>
        )}
      </div>
      <ErrorNote error={error} title={operatorTitle(error, 'Mining failed.')} />
    </div>
  );
}

/** The title over an error of an operator action: API_UNAUTHORIZED says who may do it. */
export function operatorTitle(error: ClientError | undefined, fallback: string): string {
  return error?.code === 'API_UNAUTHORIZED'
    ? 'Refused: only the node’s operator may do this.'
    : fallback;
}
