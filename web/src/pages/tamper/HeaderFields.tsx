/**
 * A tampered block's header, field by field: prev hash and merkle root (set by mining and by the
 * transactions), the editable timestamp and nonce, then the hash next to the target it must not
 * exceed, and the 92 bytes that are hashed.
 */
import { toHex } from '../../../../src/core/bytes.ts';
import { dateTime } from '../../format.ts';
import { EditField } from './EditField.tsx';
import { HeaderBytes } from './HeaderBytes.tsx';
import { parseTimestampText, parseU64Text } from './parsers.ts';
import type { BlockEdit, TamperedBlock } from './tamperModel.ts';

interface Props {
  block: TamperedBlock;
  onEdit: (patch: BlockEdit) => void;
}

export function HeaderFields({ block, onEdit }: Props) {
  const { header, changed, failures } = block;
  const powOk = !failures.some((f) => f.code === 'POW_INSUFFICIENT_WORK');
  const bitsHex = `0x${header.bits.toString(16).padStart(8, '0')}`;
  return (
    <div className="tamper-header">
      <Hash
        label="Previous hash"
        bytes={header.prevHash}
        mark={changed.has('prevHash') ? 're-linked by mining' : undefined}
      />
      <Hash
        label="Merkle root"
        bytes={header.merkleRoot}
        mark={changed.has('merkleRoot') ? 'follows the edited transactions' : undefined}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={!block.edit.keepMerkleRoot}
          onChange={(e) => onEdit({ keepMerkleRoot: !e.target.checked })}
        />{' '}
        Header's merkle root follows the transactions
      </label>
      {block.edit.keepMerkleRoot && (
        <p className="field-hint muted">
          The header keeps the root it was mined with, so the hash stays the same; but anyone can
          recompute the root from the transactions.
        </p>
      )}
      <div className="tamper-pair">
        <EditField
          label="Timestamp (ms)"
          value={header.timestampMs}
          format={String}
          parse={parseTimestampText}
          changed={changed.has('timestampMs')}
          hint={dateTime(header.timestampMs)}
          onChange={(timestampMs) => onEdit({ timestampMs })}
        />
        <EditField
          label="Nonce"
          value={header.nonce}
          format={String}
          parse={parseU64Text}
          changed={changed.has('nonce')}
          onChange={(nonce) => onEdit({ nonce })}
        />
      </div>
      <Hash label="Hash" bytes={block.hash} mark={changed.has('hash') ? 'changed' : undefined} />
      <div className="edit-field wide">
        <span className="field-label">Target (from bits {bitsHex})</span>
        <span className="mono hash">{block.target.toString(16).padStart(64, '0')}</span>
      </div>
      <p className={powOk ? 'pow good' : 'pow bad'}>
        {powOk
          ? '✓ hash at or below the target: proof of work holds'
          : '✗ hash above the target: proof of work fails'}
      </p>
      <HeaderBytes header={header} changed={changed} />
    </div>
  );
}

function Hash(props: { label: string; bytes: Uint8Array; mark: string | undefined }) {
  return (
    <div className="edit-field wide">
      <span className="field-label">
        {props.label}
        {props.mark && <span className="edited-mark"> ({props.mark})</span>}
      </span>
      <span className={props.mark ? 'mono hash changed' : 'mono hash'}>{toHex(props.bytes)}</span>
    </div>
  );
}
