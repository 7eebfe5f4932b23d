/**
 * One transaction: pending, confirmed (with its block and confirmations, counting up live) or
 * dropped (with the node's reason). It follows the node's events, so a pending transfer turns
 * confirmed, or dropped, in place.
 */
import { useState } from 'react';
import { type TxJson, txFromJson } from '../../../../src/core/json.ts';
import { tutorialParams } from '../../../../src/core/params.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { AddressLink, BlockLink, TxLink } from '../../components/Links.tsx';
import { ago, dateTime } from '../../format.ts';
import { useLoad, useNode } from '../../node.tsx';
import { fetchTx, type TxStatus } from './api.ts';
import './explorer.css';
import { TxBytes } from './bytes/TxBytes.tsx';
import { type Shown, ViewSwitch } from './bytes/ViewSwitch.tsx';
import { coinAmount } from './coinAmount.ts';
import { LightCheck } from './LightCheck.tsx';
import { TxLife } from './TxLife.tsx';

export function TxPage({ id }: { id: string }) {
  const { data, error } = useLoad((client) => fetchTx(client, id), [id], ['tx', 'block', 'reorg']);
  const { info } = useNode();
  const [view, setView] = useState<Shown>('fields');
  return (
    <section aria-labelledby="tx-title">
      <h1 id="tx-title">Transaction {data && <StatusBadge status={data.status} />}</h1>
      <p className="mono">{id}</p>
      <ErrorNote
        error={error}
        title={data ? 'Could not refresh this transaction.' : 'This node does not know it.'}
      />
      {error?.code === 'API_NOT_FOUND' && !data && (
        <p className="muted">
          Neither pending, nor on the main chain, nor among the transfers this node dropped lately
          (it remembers the last 10,000 until it restarts).
        </p>
      )}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && <Status view={data} />}
      {data?.life && <TxLife life={data.life} tx={data.transaction} />}
      {data && <ViewSwitch view={view} onChange={setView} />}
      {data && (view === 'fields' || !info) && <Fields tx={data.transaction} />}
      {data && view === 'bytes' && info && (
        <TxBytesOf json={data.transaction} id={id} addressPrefix={info.address_prefix} />
      )}
      {data?.status === 'confirmed' && <LightCheck id={id} />}
    </section>
  );
}

/** The core's transaction from the node's JSON (its id checked), laid out byte by byte. */
function TxBytesOf({
  json,
  id,
  addressPrefix,
}: {
  json: TxJson;
  id: string;
  addressPrefix: string;
}) {
  // NOTE: txFromJson reads only the address prefix from the network's parameters.
  const tx = txFromJson(json, { ...tutorialParams, addressPrefix });
  if (!tx.ok) return <p className="bad">The node's transaction does not parse: {tx.detail}</p>;
  return <TxBytes tx={tx.value} id={id} addressPrefix={addressPrefix} />;
}

function StatusBadge({ status }: { status: TxStatus['status'] }) {
  const tone = { pending: 'warn', confirmed: 'good', dropped: 'bad' }[status];
  return (
    <span className={`badge ${tone}`} data-testid="tx-status">
      {status}
    </span>
  );
}

function Status({ view }: { view: TxStatus }) {
  if (view.status === 'pending') {
    return <p className="notice pending-note">Waiting in the mempool for a block.</p>;
  }
  if (view.status === 'dropped') {
    return (
      <div className="error-note" role="status">
        <strong>Dropped: it left the mempool without being confirmed. </strong>
        <span>
          <WithTxLinks text={view.reason.message} />
        </span>{' '}
        <code>{view.reason.code}</code>
        {view.dropped_at_ms !== undefined && (
          <span className="muted" title={dateTime(view.dropped_at_ms)}>
            {' '}
            ({ago(view.dropped_at_ms)})
          </span>
        )}
      </div>
    );
  }
  return (
    <dl className="fields panel">
      <dt>Block</dt>
      <dd>
        <BlockLink id={view.height} /> <BlockLink id={view.block_hash} />
      </dd>
      <dt>Position</dt>
      <dd>
        index {view.index} in the block{' '}
        <span className="muted">(index 0 is the block's reward)</span>
      </dd>
      <dt>Confirmations</dt>
      <dd data-testid="tx-confirmations">{view.confirmations}</dd>
    </dl>
  );
}

function Fields({ tx }: { tx: TxJson }) {
  return (
    <dl className="fields panel tx-fields">
      <dt>Type</dt>
      <dd>{tx.type === 'coinbase' ? 'coinbase (the block reward)' : 'transfer'}</dd>
      <dt>From</dt>
      <dd>
        {tx.type === 'transfer' ? (
          <AddressLink address={tx.from} full />
        ) : (
          <span className="muted">new coins</span>
        )}
      </dd>
      <dt>To</dt>
      <dd>
        <AddressLink address={tx.to} full />
      </dd>
      <dt>Amount</dt>
      <dd>{coinAmount(tx.amount)}</dd>
      {tx.type === 'transfer' ? (
        <>
          <dt>Fee</dt>
          <dd>{coinAmount(tx.fee)}</dd>
          <dt>Nonce</dt>
          <dd>{tx.nonce}</dd>
          <dt>Signature</dt>
          <dd className="mono">{tx.signature}</dd>
        </>
      ) : (
        <>
          <dt>For block</dt>
          <dd>
            <BlockLink id={tx.height} />
          </dd>
        </>
      )}
      <dt>Chain id</dt>
      <dd>{tx.chain_id}</dd>
    </dl>
  );
}

/** The node's message with each transaction id in it as a link. */
function WithTxLinks({ text }: { text: string }) {
  return text
    .split(/\b([0-9a-f]{64})\b/)
    .map((part, i) => (i % 2 === 1 ? <TxLink key={part} id={part} /> : part));
}
