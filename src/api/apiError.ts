/**
 * Errors at the HTTP edge. Every error answer is `{error: {code, message}}` with the status the
 * code has in src/core/errors.ts — one table for the core, the API and the peers.
 */
import { type ErrorCode, errorTable, type Result } from '../core/index.js';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
  ) {
    super(detail);
  }

  get status(): number {
    return errorTable[this.code].status;
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
