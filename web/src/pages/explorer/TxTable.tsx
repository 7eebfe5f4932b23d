/**
 * Transactions as rows: id, from → to, amount and fee in coins. Seen from an address, amounts
 * carry a sign (+ received, − sent, fee included); with `showBlock`, each row names its block.
 * Ids and addresses are cut short (the full text is in each link's title) so that a row fits a
 * phone's width.
 */
import type { TxJson } from '../../../../src/core/json.ts';
import { BlockLink } from '../../components/Links.tsx';
import { coins, short } from '../../format.ts';
import { href } from '../../router.ts';
import './explorer.css';

type Row = TxJson & { height?: number };

export function TxTable({
  txs,
  label,
  perspective,
  showBlock = false,
}: {
  txs: readonly Row[];
  /** What the table lists, for screen readers. */
  label: string;
  perspective?: string;
  showBlock?: boolean;
}) {
  return (
    <div className="table-scroll">
      <table aria-label={label} className="tx-table">
        <thead>
          <tr>
            <th>Transaction</th>
            {showBlock && <th className="hide-narrow">Block</th>}
            <th>From → To</th>
            <th className="num">Amount (coins)</th>
            <th className="num hide-narrow">Fee</th>
          </tr>
        </thead>
        <tbody>
          {txs.map((tx, i) => (
            <tr key={tx.id ?? i}>
              <td>{tx.id ? <ShortLink page="tx" id={tx.id} /> : '—'}</td>
              {showBlock && (
                <td className="hide-narrow">
                  {tx.height === undefined ? 'pending' : <BlockLink id={tx.height} />}
                </td>
              )}
              <td className="parties">
                {tx.type === 'coinbase' ? (
                  <span className="muted">reward</span>
                ) : (
                  <Party address={tx.from} perspective={perspective} />
                )}{' '}
                <span>
                  <span aria-hidden="true">→</span>
                  <span className="visually-hidden">to</span>{' '}
                  <Party address={tx.to} perspective={perspective} />
                </span>
              </td>
              <td className="num">{signedAmount(tx, perspective)}</td>
              <td className="num hide-narrow">{tx.type === 'transfer' ? coins(tx.fee) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ShortLink({ page, id }: { page: 'tx' | 'address'; id: string }) {
  return (
    <a className="mono" href={href(page, id)} title={id}>
      {short(id, 6)}
    </a>
  );
}

function Party({ address, perspective }: { address: string; perspective: string | undefined }) {
  if (address === perspective) return <span className="this-address">this address</span>;
  return <ShortLink page="address" id={address} />;
}

function signedAmount(tx: TxJson, perspective: string | undefined): string {
  if (perspective === undefined) return coins(tx.amount);
  const from = tx.type === 'transfer' ? tx.from : undefined;
  const fee = tx.type === 'transfer' ? BigInt(tx.fee) : 0n;
  if (from === perspective && tx.to === perspective) return `−${coins(fee)}`;
  if (from === perspective) return `−${coins(BigInt(tx.amount) + fee)}`;
  return `+${coins(tx.amount)}`;
}
