/**
 * What a peer earns for data or an answer that fails with a code, from 0 to BAN_SCORE (banned at
 * once). 0 means an honest node can send it: a transaction a block confirmed a moment ago
 * (`TX_NONCE_TOO_LOW`), a block whose clock runs a little ahead of ours (`BLOCK_TIME_TOO_NEW`).
 * Every code a peer's data or answer can fail with must be listed (the type says which); any
 * other code scores 0. docs/errors.md lists the same penalties; a test keeps them equal.
 */
import type { ErrorCode } from '../core/index.js';

export const BAN_SCORE = 100;
const BAN = BAN_SCORE;

type FromPeers = Extract<
  ErrorCode,
  `${'ENCODING' | 'JSON' | 'TX' | 'BLOCK' | 'POW' | 'CHAIN' | 'POLICY' | 'P2P'}_${string}`
>;

const penalties: Record<FromPeers, number> & Partial<Record<ErrorCode, number>> = {
  ENCODING_TRUNCATED: BAN,
  ENCODING_TRAILING_BYTES: BAN,
  ENCODING_NON_MINIMAL: BAN,
  ENCODING_UNKNOWN_TX_TYPE: BAN,
  ENCODING_OUT_OF_RANGE: BAN,

  JSON_INVALID_FIELD: BAN,

  TX_WRONG_CHAIN: BAN,
  TX_AMOUNT_NOT_POSITIVE: BAN,
  TX_FEE_NOT_POSITIVE: BAN,
  TX_AMOUNT_TOO_LARGE: BAN,
  TX_BAD_PUBLIC_KEY: BAN,
  TX_BALANCE_OVERFLOW: BAN,
  TX_BAD_SIGNATURE: BAN,
  TX_NONCE_TOO_LOW: 0,
  TX_NONCE_TOO_HIGH: 0,
  TX_INSUFFICIENT_FUNDS: 0,
  TX_COINBASE_NOT_ALLOWED: BAN,
  TX_ALREADY_KNOWN: 0,

  BLOCK_TOO_LARGE: BAN,
  BLOCK_BAD_VERSION: BAN,
  BLOCK_NO_COINBASE: BAN,
  BLOCK_MULTIPLE_COINBASES: BAN,
  BLOCK_COINBASE_BAD_HEIGHT: BAN,
  BLOCK_COINBASE_TOO_LARGE: BAN,
  BLOCK_DUPLICATE_TX: BAN,
  BLOCK_BAD_MERKLE_ROOT: BAN,
  BLOCK_BAD_PREVIOUS: BAN,
  BLOCK_BAD_TARGET: BAN,
  BLOCK_TIME_TOO_OLD: BAN,
  BLOCK_TIME_TOO_NEW: 0,
  BLOCK_INVALID_ANCESTOR: BAN,

  POW_BAD_BITS: BAN,
  POW_INSUFFICIENT_WORK: BAN,

  CHAIN_BAD_GENESIS: BAN,

  POLICY_FORK_TOO_DEEP: 0,
  POLICY_SIDE_BLOCK_RATE: 0,
  POLICY_SIDE_BLOCKS_FULL: 0,

  // NOTE: 0, not a score: a peer that is away (asleep, restarting, its link down) is not lying.
  // Being away changes its state (peerBook.ts), and it is retried with backoff.
  P2P_TIMEOUT: 0,
  P2P_TOO_SLOW: 0,
  P2P_UNREACHABLE: 0,
  P2P_BAD_RESPONSE: 20,
  P2P_TOO_LARGE: 50,
  P2P_WRONG_NETWORK: BAN,
  P2P_SELF: 0,
  P2P_BAD_URL: 0,
  P2P_BANNED: 0,
  P2P_PEER_LIMIT: 0,
  P2P_SAME_KEY: 0,

  // A peer's request that this node's API refuses.
  API_BAD_REQUEST: 10,
  API_BAD_JSON: 10,
  API_BODY_TOO_LARGE: 20,
  API_UNSUPPORTED_MEDIA_TYPE: 10,
};

export const penaltyOf = (code: ErrorCode): number => penalties[code] ?? 0;
