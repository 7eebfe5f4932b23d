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
  const coinbase = tx.type === 'coinbase';
  const edit = { tx, original, onEdit };
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
      {original.type === tx.type && (
        <div className="tx-fields">
          {tx.type === 'transfer' && (
            <div className="edit-field wide">
              <span className="field-label">From</span>
              <span className="mono" title={encodeAddress(tx.from, prefix)}>
                {short(encodeAddress(tx.from, prefix), 10)}
              </span>
              <span className="field-hint muted">nonce {tx.nonce.toString()}</span>
            </div>
          )}
          <RecipientField label={coinbase ? 'To (the miner)' : 'To'} prefix={prefix} {...edit} />
          <CoinsField
            label={coinbase ? 'Reward (coins)' : 'Amount (coins)'}
            field="amount"
            {...edit}
          />
          {tx.type === 'transfer' && original.type === 'transfer' ? (
            <CoinsField
              label="Fee (coins)"
              field="fee"
              tx={tx}
              original={original}
              onEdit={onEdit}
            />
          ) : (
            <span className="field-hint muted">
              at most the block reward plus its fees: the node checks it
            </span>
          )}
        </div>
      )}
    </li>
  );
}

interface FieldProps {
  label: string;
  tx: TamperedTx['tx'];
  original: TamperedTx['tx'];
  onEdit: (patch: TxEdit) => void;
}

/** The recipient, as an address of this network, marked when it differs from the original. */
function RecipientField({ label, tx, original, prefix, onEdit }: FieldProps & { prefix: string }) {
  return (
    <EditField
      label={label}
      wide
      value={tx.to}
      format={addressFormatter(prefix)}
      parse={addressParser(prefix)}
      changed={toHex(tx.to) !== toHex(original.to)}
      onChange={(to) => onEdit({ to })}
    />
  );
}

/** An amount or a fee, in coins, marked when it differs from the original. */
function CoinsField<F extends 'amount' | 'fee'>(props: {
  label: string;
  field: F;
  tx: Record<F, bigint>;
  original: Record<F, bigint>;
  onEdit: (patch: TxEdit) => void;
}) {
  const { label, field, tx, original, onEdit } = props;
  return (
    <EditField
      label={label}
      value={tx[field]}
      format={formatCoinsText}
      parse={parseCoinsText}
      changed={tx[field] !== original[field]}
      onChange={(value) => onEdit({ [field]: value } as TxEdit)}
    />
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
