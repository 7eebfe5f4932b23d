/**
 * What went wrong, shown the one way the dashboard shows errors: a coded failure (from the
 * node, the client or src/wallet) as its code's meaning + detail + code via ErrorNote; a plain
 * form mistake that has no code (two passwords that differ) as its sentence.
 */
import { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

export type Problem = ClientError | string;

/** A wallet-side `{ok: false, code, detail}` as the error ErrorNote shows. */
export function failureError(failure: { code: string; detail: string }): ClientError {
  return new ClientError(failure.code, failure.detail, 0);
}

export function ProblemNote({ problem, title }: { problem: Problem | undefined; title?: string }) {
  if (problem === undefined) return null;
  if (problem instanceof ClientError) {
    return title === undefined ? (
      <ErrorNote error={problem} />
    ) : (
      <ErrorNote error={problem} title={title} />
    );
  }
  return (
    <div className="error-note" role="alert">
      {problem}
    </div>
  );
}
