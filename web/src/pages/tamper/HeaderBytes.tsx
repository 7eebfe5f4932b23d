/**
 * The data that feeds a block's hash: the 92 header bytes (docs/protocol.md §Block header), field
 * by field, with the fields an edit changed marked. The transactions reach the hash only through
 * the merkle root.
 */
import { toHex } from '../../../../src/core/bytes.ts';
import { encodeHeader } from '../../../../src/core/encoding/header.ts';
import type { BlockHeader } from '../../../../src/core/types.ts';
import type { HeaderField } from './tamperModel.ts';

const LAYOUT: readonly { name: string; field?: HeaderField; from: number; to: number }[] = [
  { name: 'version', from: 0, to: 4 },
  { name: 'height', from: 4, to: 8 },
  { name: 'prev_hash', field: 'prevHash', from: 8, to: 40 },
  { name: 'merkle_root', field: 'merkleRoot', from: 40, to: 72 },
  { name: 'timestamp_ms', field: 'timestampMs', from: 72, to: 80 },
  { name: 'bits', from: 80, to: 84 },
  { name: 'nonce', field: 'nonce', from: 84, to: 92 },
];

export function HeaderBytes({
  header,
  changed,
}: {
  header: BlockHeader;
  changed: ReadonlySet<string>;
}) {
  const bytes = encodeHeader(header);
  return (
    <details className="header-bytes">
      <summary>The 92 bytes that are hashed (SHA-256 twice)</summary>
      <dl>
        {LAYOUT.map(({ name, field, from, to }) => {
          const edited = field !== undefined && changed.has(field);
          return (
            <div key={name} className={edited ? 'changed' : undefined}>
              <dt>
                {name}
                {edited && ' (edited)'}
              </dt>
              <dd className="mono">{toHex(bytes.subarray(from, to))}</dd>
            </div>
          );
        })}
      </dl>
    </details>
  );
}
