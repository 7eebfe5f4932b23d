import type { ErrorCode } from './errors.js';

/**
 * The outcome of a check that is expected to fail sometimes (bad input from a peer or a user):
 * a value, or a stable code with a human detail. Exceptions are kept for programming errors.
 */
export type Result<T = void> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly detail: string };

export type Failure = Extract<Result<never>, { ok: false }>;

export function ok<T>(value: T): Result<T>;
export function ok(): Result<void>;
export function ok<T>(value?: T): Result<T | undefined> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, detail: string): Failure {
  return { ok: false, code, detail };
}
