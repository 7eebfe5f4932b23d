/**
 * The core names each failure once (src/core/errors.ts); each edge has its own table keyed by
 * code. The types already ask for the entries that must be there; these tests check the values
 * mean what the edges need, and that no edge keeps a code the core no longer has.
 */
import { describe, expect, it } from 'vitest';
import { httpStatus } from '../../src/api/httpStatus.js';
import { EXIT, exitCodeOf, exitCodesHelp } from '../../src/cli/io.js';
import { type ErrorCode, errorMeanings } from '../../src/core/index.js';
import { BAN_SCORE, penaltyOf } from '../../src/p2p/penaltyOf.js';

const codes = Object.keys(errorMeanings) as ErrorCode[];

describe('error codes at the edges', () => {
  it('gives every code, and only those, an HTTP error status', () => {
    expect(Object.keys(httpStatus).sort()).toEqual([...codes].sort());
    for (const code of codes) expect(httpStatus[code], code).toBeGreaterThanOrEqual(400);
    for (const code of codes) expect(httpStatus[code], code).toBeLessThan(600);
  });

  it('bans at once for invalid consensus data, and never for a peer that is away', () => {
    for (const code of codes) expect(penaltyOf(code), code).toBeLessThanOrEqual(BAN_SCORE);
    for (const code of [
      'BLOCK_BAD_MERKLE_ROOT',
      'TX_BAD_SIGNATURE',
      'POW_INSUFFICIENT_WORK',
    ] as const)
      expect(penaltyOf(code), code).toBe(BAN_SCORE);
    for (const code of [
      'P2P_TIMEOUT',
      'P2P_UNREACHABLE',
      'TX_NONCE_TOO_LOW',
      'WALLET_EXISTS',
    ] as const)
      expect(penaltyOf(code), code).toBe(0);
  });

  it('gives every code an exit code the help lists, and 1 only to the unexpected', () => {
    const listed = [...exitCodesHelp.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    for (const code of codes) expect(listed, code).toContain(exitCodeOf(code));
    expect(codes.filter((code) => exitCodeOf(code) === EXIT.unexpected)).toEqual([
      'CLI_UNEXPECTED',
    ]);
    expect(exitCodeOf('NOT_A_CODE')).toBe(EXIT.unexpected);
  });
});
