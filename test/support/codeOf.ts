/** What a Result says, in one word for an assertion: 'ok', or its error code. */
export const codeOf = (result: { ok: true } | { ok: false; code: string }) =>
  result.ok ? 'ok' : result.code;
