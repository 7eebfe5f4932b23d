/**
 * An error as a person should read it: what the code means (from the one error table every
 * part of blockyard shares), then the node's detail, then the code itself for searching.
 */
import type { ClientError } from '../../../src/api/client.ts';
import { errorMeanings, isErrorCode } from '../../../src/core/errors.ts';

export function meaningOf(code: string): string | undefined {
  return isErrorCode(code) ? errorMeanings[code] : undefined;
}

export function ErrorNote({ error, title }: { error: ClientError | undefined; title?: string }) {
  if (!error) return null;
  const meaning = meaningOf(error.code);
  return (
    <div className="error-note" role="alert">
      {title && <strong>{title} </strong>}
      {meaning && <span>{meaning} </span>}
      <span className="detail">{error.message}</span> <code>{error.code}</code>
    </div>
  );
}
