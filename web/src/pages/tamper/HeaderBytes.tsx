/**
 * The data that feeds a block's hash: the 92 header bytes (docs/protocol.md §Block header), field
 * by field as the core's own reader lays them out (src/core/encoding/fieldLayout.ts), with the
 * fields an edit changed marked. The transactions reach the hash only through the merkle root.
 */
import { toHex } from '../../../../src/core/bytes.ts';
import { layoutHeader } from '../../../../src/core/encoding/fieldLayout.ts';
import { encodeHeader } from '../../../../src/core/encoding/header.ts';
import type { BlockHeader } from '../../../../src/core/types.ts';
import type { HeaderField } from './tamperModel.ts';

/** The fields a visitor's edit (or re-mining) can change, by the name the reader gives them. */
const EDITABLE: Readonly<Record<string, HeaderField>> = {
  prev_hash: 'prevHash',
  merkle_root: 'merkleRoot',
  timestamp_ms: 'timestampMs',
  nonce: 'nonce',
};

export function HeaderBytes({
  header,
  changed,
}: {
  header: BlockHeader;
  changed: ReadonlySet<string>;
}) {
  const laid = layoutHeader(encodeHeader(header));
  if (!laid.ok) return null;
  return (
    <details className="header-bytes">
      <summary>The 92 bytes that are hashed (SHA-256 twice)</summary>
      <dl>
        {laid.value.map(({ name, bytes }) => {
          const field = EDITABLE[name];
          const edited = field !== undefined && changed.has(field);
          return (
            <div key={name} className={edited ? 'changed' : undefined}>
              <dt>
                {name}
                {edited && ' (edited)'}
              </dt>
              <dd className="mono">{toHex(bytes)}</dd>
            </div>
          );
        })}
      </dl>
    </details>
  );
}
