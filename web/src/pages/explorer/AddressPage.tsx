/**
 * An address: its balance (what is spendable now, what is still maturing), its nonce and pending
 * transfers, and its confirmed history, newest first, twenty to a page. The first page and the
 * balance follow the chain live.
 */
import { useState } from 'react';
import type { AccountView } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useLoad } from '../../node.tsx';
import { fetchHistory, type HistoryCursor } from './api.ts';
import { TxTable } from './TxTable.tsx';
import './explorer.css';
import { coinAmount } from './coinAmount.ts';

const FIRST: HistoryCursor = { beforeHeight: undefined, skip: 0 };

export function AddressPage({ address }: { address: string }) {
  const account = useLoad((client) => client.account(address), [address], ['block', 'tx', 'reorg']);
  return (
    <section aria-labelledby="address-title">
      <h1 id="address-title">Address</h1>
      <p className="mono">{address}</p>
      <ErrorNote error={account.error} title="Could not load this address." />
      {account.data && <Balance account={account.data} />}
      {!account.error && <History address={address} />}
    </section>
  );
}

function Balance({ account }: { account: AccountView }) {
  return (
    <dl className="fields panel" aria-label="Balance">
      <dt>Balance</dt>
      <dd data-testid="balance">{coinAmount(account.balance)}</dd>
      <dt>Spendable</dt>
      <dd>{coinAmount(account.spendable)}</dd>
      <dt>Immature</dt>
      <dd>
        {coinAmount(account.immature)}{' '}
        <span className="muted">(block rewards not yet spendable)</span>
      </dd>
      <dt>Nonce</dt>
      <dd>
        {account.nonce} <span className="muted">(next transfer: {account.next_nonce})</span>
      </dd>
      <dt>Pending (sent)</dt>
      <dd>
        {account.pending} {account.pending === 1 ? 'transfer' : 'transfers'}
      </dd>
    </dl>
  );
}

function History({ address }: { address: string }) {
  const [cursors, setCursors] = useState<HistoryCursor[]>([FIRST]);
  const cursor = cursors[cursors.length - 1] ?? FIRST;
  const first = cursors.length === 1;
  const { data, error, loading } = useLoad(
    (client) => fetchHistory(client, address, cursor),
    [address, cursor],
    first ? ['block', 'tx', 'reorg'] : [],
  );
  const older = data?.older;
  return (
    <>
      {first && data && data.pending.length > 0 && (
        <>
          <h2>Pending</h2>
          <TxTable txs={data.pending} label="Pending transfers" perspective={address} />
        </>
      )}
      <h2>{first ? 'History' : `History, page ${cursors.length}`}</h2>
      <ErrorNote error={error} title="Could not load the history." />
      {data && data.transactions.length === 0 && (
        <p className="muted">
          {first ? 'No confirmed transactions yet.' : 'No older transactions.'}
        </p>
      )}
      {data && data.transactions.length > 0 && (
        <TxTable
          txs={data.transactions}
          label="Confirmed transactions"
          perspective={address}
          showBlock
        />
      )}
      <nav className="row pager" aria-label="History pages">
        <button type="button" disabled={first} onClick={() => setCursors([FIRST])}>
          Newest
        </button>
        <button type="button" disabled={first} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!older || loading}
          onClick={() => older && setCursors([...cursors, older])}
        >
          Older
        </button>
      </nav>
    </>
  );
}
