/**
 * Canonical bytes, field by field: the hex on one side, the fields (offset, size, name, value,
 * the protocol's section) on the other. Pointing at a field, in either, highlights it in both; a
 * click keeps it highlighted.
 */
import { useState } from 'react';
import { toHex } from '../../../../../src/core/bytes.ts';
import type { ByteField } from '../../../../../src/core/encoding/fieldLayout.ts';
import { href } from '../../../router.ts';
import { fieldText } from './fieldText.ts';

/** A field's hex under its value, where the value is not that hex already. */
const showHex = (f: ByteField) =>
  !(f.value instanceof Uint8Array) || f.name === 'from' || f.name === 'to';

const spaced = (bytes: Uint8Array) => toHex(bytes).replace(/(..)(?!$)/g, '$1 ');

export function ByteInspector({
  fields,
  addressPrefix,
  label,
}: {
  fields: readonly ByteField[];
  addressPrefix: string;
  label: string;
}) {
  const [hover, setHover] = useState<number>();
  const [picked, setPicked] = useState<number>();
  const active = hover ?? picked;
  const pick = (i: number) => setPicked(picked === i ? undefined : i);
  const point = {
    onMouseLeave: () => setHover(undefined),
    onBlur: () => setHover(undefined),
  };
  return (
    <div className="byte-inspector" data-testid="byte-inspector">
      {/* The fields' bytes, each field also in the list beside with its hex: this is for the eye. */}
      <p className="hex-dump mono" aria-hidden="true">
        {fields.map((f, i) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: pointing here is a mouse shortcut; the list's buttons select the same field from a keyboard.
          <span
            key={`${f.part}-${f.offset}`}
            className={`byte-field tone${i % 4}${i === active ? ' active' : ''}`}
            title={`${f.part} · ${f.name}: bytes ${f.offset}–${f.offset + f.length - 1}`}
            data-field={`${f.part}.${f.name}`}
            onMouseEnter={() => setHover(i)}
            {...point}
          >
            {spaced(f.bytes)}{' '}
          </span>
        ))}
      </p>
      <ol className="field-list" aria-label={`${label}: the fields`}>
        {fields.map((f, i) => (
          <li
            key={`${f.part}-${f.offset}`}
            className={`tone${i % 4}${i === active ? ' active' : ''}`}
            data-testid="byte-field"
            onMouseEnter={() => setHover(i)}
            {...point}
          >
            <button
              type="button"
              className="field-name"
              aria-pressed={i === picked}
              onFocus={() => setHover(i)}
              onClick={() => pick(i)}
            >
              <span className="muted">
                {f.part === 'header' || f.part === 'transaction' ? '' : `${f.part} · `}
              </span>
              {f.name}
            </button>
            <span className="field-at muted">
              offset {f.offset}, {f.length} {f.length === 1 ? 'byte' : 'bytes'}
            </span>
            <span className="field-value mono">{fieldText(f, addressPrefix)}</span>
            {showHex(f) && <span className="field-hex mono muted">{spaced(f.bytes)}</span>}
            <span className="field-meaning">
              {f.meaning}{' '}
              <a href={href('protocol', f.section)} title="its section of the protocol">
                §&nbsp;{f.section.replace(/-/g, ' ')}
              </a>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
