/**
 * Errors at the HTTP edge. Every error answer is `{error: {code, message}}` with the status the
 * code has in httpStatus.ts.
 */
import type { ErrorCode, Result } from '../core/index.js';
import { httpStatus } from './httpStatus.js';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
  ) {
    super(detail);
  }

  get status(): number {
    return httpStatus[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The value of a Result, or the failure thrown as an ApiError (fastify's error handler answers it). */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ApiError(result.code, result.detail);
  return result.value;
}
