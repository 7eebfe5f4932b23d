/**
 * One of the wallet's addresses: the address with a copy button, what the node says it holds,
 * and its latest transactions (pending first), live.
 */
import { useState } from 'react';
import type { TxJson } from '../../../../src/core/json.ts';
import { AddressLink, TxLink } from '../../components/Links.tsx';
import { coins } from '../../format.ts';
import { GetCoins } from './GetCoins.tsx';
import type { AccountData } from './useAccountViews.ts';

export function AccountCard({
  index,
  address,
  data,
}: {
  index: number;
  address: string;
  data: AccountData | undefined;
}) {
  const view = data?.view.address === address ? data : undefined;
  return (
    <article
      className="panel account"
      aria-label={`Address ${index}`}
      data-testid={`account-${index}`}
    >
      <h3>
        Address {index} <span className="muted path">m/44'/1'/0'/0'/{index}'</span>
      </h3>
      <div className="row address-row">
        <code className="address" data-testid="address">
          {address}
        </code>
        <CopyButton text={address} />
      </div>
      <dl className="fields balances">
        <dt>Balance</dt>
        <dd data-testid="balance">{coins(view?.view.balance)}</dd>
        <dt>Pending in</dt>
        <dd data-testid="pending-in">
          {signed('+', view?.view.pending_in, view?.incoming.length)}
        </dd>
        <dt>Pending out</dt>
        <dd data-testid="pending-out">{signed('−', view?.view.pending_out, view?.view.pending)}</dd>
        <dt>Can spend now</dt>
        <dd data-testid="spendable">{coins(view?.view.available)}</dd>
        {view && view.view.immature !== 0n && (
          <>
            <dt>Immature</dt>
            <dd>{coins(view.view.immature)} (newly mined: spendable once it matures)</dd>
          </>
        )}
      </dl>
      {view && view.view.balance === 0n && <GetCoins address={address} />}
      {view && <History address={address} data={view} />}
    </article>
  );
}

/** "+1.5 (1 transfer)", "0": the same numbers as `blockyard wallet balance`. */
function signed(sign: string, units: bigint | undefined, count: number | undefined): string {
  if (units === undefined) return '—';
  if (units === 0n) return '0';
  return `${sign}${coins(units)}${count ? ` (${count} ${count === 1 ? 'transfer' : 'transfers'})` : ''}`;
}

function History({ address, data }: { address: string; data: AccountData }) {
  const rows = [
    ...[...data.pending, ...data.incoming].map((tx) => ({
      tx,
      where: <span className="badge warn">pending</span>,
    })),
    ...data.confirmed.map((tx) => ({ tx, where: <span>block {tx.height}</span> })),
  ];
  if (rows.length === 0) return <p className="muted">No transactions yet.</p>;
  return (
    <div className="table-scroll">
      <table className="history">
        <caption className="muted">Latest transactions</caption>
        <thead>
          <tr>
            <th>Status</th>
            <th className="num">Amount</th>
            <th>With</th>
            <th className="hide-narrow">Id</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ tx, where }) => (
            <tr key={tx.id}>
              <td>{where}</td>
              <td className="num">{signedAmount(tx, address)}</td>
              <td>{counterparty(tx, address)}</td>
              <td className="hide-narrow">
                <TxLink id={tx.id ?? ''} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function signedAmount(tx: TxJson, address: string): string {
  if (tx.type === 'transfer' && tx.from === address) {
    const paid = BigInt(tx.amount) + BigInt(tx.fee);
    // Sent to itself, only the fee leaves.
    return tx.to === address ? `−${coins(tx.fee)}` : `−${coins(paid)}`;
  }
  return `+${coins(tx.amount)}`;
}

function counterparty(tx: TxJson, address: string) {
  if (tx.type === 'coinbase') return <span className="muted">mined (block reward)</span>;
  const other = tx.from === address ? tx.to : tx.from;
  return (
    <>
      {tx.from === address ? 'to ' : 'from '}
      <AddressLink address={other} />
    </>
  );
}

function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    // NOTE: no clipboard on a plain-http page served to another machine (not a secure context).
    const writing =
      navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'));
    writing.then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <>
      <button type="button" onClick={copy} aria-label="Copy the address">
        Copy
      </button>
      <span className="muted" role="status">
        {state === 'copied' ? 'copied' : state === 'failed' ? 'select it and copy by hand' : ''}
      </span>
    </>
  );
}
