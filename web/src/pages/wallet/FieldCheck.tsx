/**
 * The line under a form field that says, as the person types, whether the value is good: an
 * address by its error code's meaning (or "checksum OK"), an amount by its detail.
 */
import { meaningOf } from '../../components/ErrorNote.tsx';

export function FieldCheck({
  id,
  result,
  okText,
}: {
  id: string;
  result: { ok: true } | { ok: false; code: string; detail: string } | undefined;
  okText?: string;
}) {
  if (result === undefined || (result.ok && okText === undefined)) {
    return <p id={id} className="check-line" aria-live="polite" />;
  }
  return (
    <p id={id} className={`check-line ${result.ok ? 'good' : 'bad'}`} aria-live="polite">
      {result.ok ? `✓ ${okText}` : `✗ ${explain(result)}`}
    </p>
  );
}

/** An address error by its code's meaning; an amount's by its detail, which names the amount. */
function explain(failure: { code: string; detail: string }): string {
  const meaning = failure.code.startsWith('ADDRESS_') ? meaningOf(failure.code) : undefined;
  return meaning ?? `${failure.detail.charAt(0).toUpperCase()}${failure.detail.slice(1)}.`;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
