/**
 * The messages nodes exchange, as JSON over HTTP (docs/protocol.md §Network). One schema per
 * message, used both to validate what a peer sends us and what a peer answers us. Blocks,
 * headers and transactions travel as the hex of their canonical bytes, so the receiver hashes
 * exactly what the sender signed and mined.
 */
import { type Static, Type } from '@sinclair/typebox';

export const MAX_HEADERS_PER_PAGE = 2_000;
export const MAX_BLOCKS_PER_REQUEST = 16;
/** With `max_bytes` (peers since 0.2.0, capabilities.ts): the answer stops at what fits. */
export const MAX_BLOCKS_PER_CAPPED_REQUEST = 64;
/** The most block bytes one answer carries, whatever `max_bytes` says: 16 full blocks. */
export const MAX_BLOCKS_ANSWER_BYTES = MAX_BLOCKS_PER_REQUEST * 1_000_000;
export const MAX_LOCATOR_HASHES = 64;
export const MAX_PEERS_SHARED = 64;
export const MAX_ANNOUNCED_TXS = 1_000;
export const MAX_ANNOUNCED_BLOCKS = 16;

const Hash = Type.String({ pattern: '^[0-9a-f]{64}$' });
const HeaderHex = Type.String({ pattern: '^[0-9a-f]{184}$' });
const TransferHex = Type.String({ pattern: '^[0-9a-f]{314}$' });
/** A whole block's hex: at most 1 MB of bytes (maxBlockBytes), 2,000,000 characters. */
export const BLOCK_HEX_CHARS = 2_000_000;
/** A whole block: at most 1 MB of bytes (maxBlockBytes), 2 MB of hex. */
const BlockHex = Type.String({ pattern: '^[0-9a-f]*$', maxLength: BLOCK_HEX_CHARS });
const PeerUrl = Type.String({ minLength: 1, maxLength: 200 });

export const Hello = Type.Object(
  {
    version: Type.String({ maxLength: 40 }),
    network: Type.String({ maxLength: 40 }),
    chain_id: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
    genesis_hash: Hash,
    node_address: Type.String({ maxLength: 100 }),
    /** The port the sender's API listens on; with the address it connected from, its URL. */
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    height: Type.Integer({ minimum: 0 }),
    tip_hash: Hash,
    chain_work: Type.String({ pattern: '^[0-9]{1,80}$' }),
    /**
     * Random per process: a hello with our node address and our instance is ourselves (P2P_SELF);
     * with our address and another instance, a second node runs with our key (P2P_SAME_KEY).
     */
    instance: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
  },
  { additionalProperties: false },
);
export type Hello = Static<typeof Hello>;

export const PeerList = Type.Object(
  { peers: Type.Array(PeerUrl, { maxItems: MAX_PEERS_SHARED }) },
  { additionalProperties: false },
);

export const HeadersQuery = Type.Object(
  {
    /** Comma-separated block hashes, newest first (a block locator). */
    locator: Type.String({ pattern: '^[0-9a-f]{64}(,[0-9a-f]{64}){0,63}$' }),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
);
export const HeadersPage = Type.Object(
  { headers: Type.Array(HeaderHex, { maxItems: MAX_HEADERS_PER_PAGE }) },
  { additionalProperties: false },
);

export const BlocksQuery = Type.Object(
  {
    /** Comma-separated block hashes: at most 16, or 64 with `max_bytes`. */
    hashes: Type.String({ pattern: '^[0-9a-f]{64}(,[0-9a-f]{64}){0,63}$' }),
    /** Since 0.2.0: the answer holds the first blocks asked for whose bytes fit (at least one). */
    max_bytes: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })),
  },
  { additionalProperties: false },
);
export const BlocksPage = Type.Object(
  { blocks: Type.Array(BlockHex, { maxItems: MAX_BLOCKS_PER_CAPPED_REQUEST }) },
  { additionalProperties: false },
);
/**
 * BlocksPage as the sync's client took a peer's answer, its hex checked where it became bytes
 * (lowercase hex, whole bytes, else P2P_BAD_RESPONSE, as BlocksPage's pattern answered). NOTE:
 * the client no longer parses an answer with it: BlocksAnswerReader (blocksAnswer.ts) reads the
 * answer as it comes, to this shape and these bounds, and its tests compare it with this schema.
 */
export const BlocksAnswer = Type.Object(
  {
    blocks: Type.Array(Type.String({ maxLength: BLOCK_HEX_CHARS }), {
      maxItems: MAX_BLOCKS_PER_CAPPED_REQUEST,
    }),
  },
  { additionalProperties: false },
);

export const Announce = Type.Object(
  {
    /** The port the sender listens on, so the receiver can fetch what it announces. */
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    headers: Type.Optional(Type.Array(HeaderHex, { maxItems: MAX_ANNOUNCED_BLOCKS })),
    txs: Type.Optional(Type.Array(TransferHex, { maxItems: MAX_ANNOUNCED_TXS })),
  },
  { additionalProperties: false },
);
export type Announce = Static<typeof Announce>;

export const AnnounceReply = Type.Object(
  { accepted: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
