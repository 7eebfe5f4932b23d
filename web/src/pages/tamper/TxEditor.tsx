/**
 * One transaction of a tampered block: a transfer's amount, fee and recipient can be edited, and
 * its id and signature verdict follow. The coinbase's amount and recipient too: it has no
 * signature, and what it may pay (reward + fees) is the node's check, shown when the block is
 * sent to it.
 */
import { encodeAddress } from '../../../../src/core/address.ts';
import { toHex } from '../../../../src/core/bytes.ts';
import { short } from '../../format.ts';
import { EditField } from './EditField.tsx';
import { addressFormatter, addressParser, formatCoinsText, parseCoinsText } from './parsers.ts';
import type { TamperedTx, TxEdit } from './tamperModel.ts';

interface Props {
  index: number;
  item: TamperedTx;
  original: TamperedTx['tx'];
  prefix: string;
  onEdit: (patch: TxEdit) => void;
}

export function TxEditor({ index, item, original, prefix, onEdit }: Props) {
  const { tx, id, edited, signature } = item;
  const idHex = toHex(id);
  return (
    <li className={edited ? 'tamper-tx edited' : 'tamper-tx'}>
      <div className="tx-title">
        <b>
          Transaction {index} · {tx.type}
        </b>{' '}
        <span className="mono" title={idHex}>
          id {short(idHex, 6)}
        </span>
        {edited && <span className="edited-mark"> (edited: new id)</span>}
        <SignatureBadge status={signature} />
      </div>
      {tx.type === 'coinbase'
        ? original.type === 'coinbase' && (
            <div className="tx-fields">
              <EditField
                label="To (the miner)"
                wide
                value={tx.to}
                format={addressFormatter(prefix)}
                parse={addressParser(prefix)}
                changed={toHex(tx.to) !== toHex(original.to)}
                onChange={(to) => onEdit({ to })}
              />
              <EditField
                label="Reward (coins)"
                value={tx.amount}
                format={formatCoinsText}
                parse={parseCoinsText}
                changed={tx.amount !== original.amount}
                onChange={(amount) => onEdit({ amount })}
              />
              <span className="field-hint muted">
                at most the block reward plus its fees: the node checks it
              </span>
            </div>
          )
        : original.type === 'transfer' && (
            <div className="tx-fields">
              <div className="edit-field wide">
                <span className="field-label">From</span>
                <span className="mono" title={encodeAddress(tx.from, prefix)}>
                  {short(encodeAddress(tx.from, prefix), 10)}
                </span>
                <span className="field-hint muted">nonce {tx.nonce.toString()}</span>
              </div>
              <EditField
                label="To"
                wide
                value={tx.to}
                format={addressFormatter(prefix)}
                parse={addressParser(prefix)}
                changed={toHex(tx.to) !== toHex(original.to)}
                onChange={(to) => onEdit({ to })}
              />
              <EditField
                label="Amount (coins)"
                value={tx.amount}
                format={formatCoinsText}
                parse={parseCoinsText}
                changed={tx.amount !== original.amount}
                onChange={(amount) => onEdit({ amount })}
              />
              <EditField
                label="Fee (coins)"
                value={tx.fee}
                format={formatCoinsText}
                parse={parseCoinsText}
                changed={tx.fee !== original.fee}
                onChange={(fee) => onEdit({ fee })}
              />
            </div>
          )}
    </li>
  );
}

function SignatureBadge({ status }: { status: TamperedTx['signature'] }) {
  if (status === 'none') return <span className="badge muted">no signature (coinbase)</span>;
  return status === 'valid' ? (
    <span className="badge good">✓ signature valid</span>
  ) : (
    <span className="badge bad">✗ signature no longer matches</span>
  );
}
