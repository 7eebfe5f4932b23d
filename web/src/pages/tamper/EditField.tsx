/**
 * A labelled text input for one editable value. It keeps the text as typed, applies it only when
 * it parses, says why when it does not, and follows the value when it changes from outside (a
 * re-mined nonce, a reset).
 */
import { useId, useState } from 'react';

export type Parsed<T> = { ok: true; value: T } | { ok: false; why: string };

interface Props<T> {
  label: string;
  value: T;
  format: (value: T) => string;
  parse: (text: string) => Parsed<T>;
  onChange: (value: T) => void;
  /** Whether the value differs from the block on the chain. */
  changed: boolean;
  hint?: string;
  wide?: boolean;
}

export function EditField<T>({
  label,
  value,
  format,
  parse,
  onChange,
  changed,
  hint,
  wide,
}: Props<T>) {
  const id = useId();
  const shown = format(value);
  const [text, setText] = useState(shown);
  const [lastShown, setLastShown] = useState(shown);
  if (shown !== lastShown) {
    // The value changed from outside: show it, unless it is what the visitor is typing.
    setLastShown(shown);
    const typed = parse(text);
    if (!typed.ok || format(typed.value) !== shown) setText(shown);
  }
  const parsed = parse(text);
  const described = [hint ? `${id}-hint` : '', parsed.ok ? '' : `${id}-error`].join(' ').trim();
  return (
    <div className={wide ? 'edit-field wide' : 'edit-field'}>
      <label htmlFor={id}>
        {label}
        {changed && <span className="edited-mark"> (edited)</span>}
      </label>
      <input
        id={id}
        className={changed ? 'mono changed' : 'mono'}
        value={text}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!parsed.ok}
        aria-describedby={described || undefined}
        onChange={(e) => {
          setText(e.target.value);
          const next = parse(e.target.value);
          if (next.ok) onChange(next.value);
        }}
      />
      {hint && (
        <span id={`${id}-hint`} className="field-hint muted">
          {hint}
        </span>
      )}
      {!parsed.ok && (
        <span id={`${id}-error`} className="field-hint bad">
          {parsed.why}
        </span>
      )}
    </div>
  );
}
