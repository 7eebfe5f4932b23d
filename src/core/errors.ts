/**
 * Every error code blockyard can answer with, and what it means to the person reading it. A code
 * names a failure; what an edge does about it lives at that edge: the HTTP status in
 * src/api/httpStatus.ts, a peer's penalty in src/p2p/penalty.ts, the exit code in src/cli/io.ts.
 * `docs/errors.md` lists each code with its meaning, status and penalty; a test keeps them equal.
 */
export const errorMeanings = {
  // Bytes that are not a canonical encoding.
  ENCODING_TRUNCATED: 'The bytes end before the structure does.',
  ENCODING_TRAILING_BYTES: 'There are bytes after the end of the structure.',
  ENCODING_NON_MINIMAL: 'A variable-length integer is not written in its shortest form.',
  ENCODING_UNKNOWN_TX_TYPE: 'The transaction type byte is neither 0 (coinbase) nor 1 (transfer).',
  ENCODING_OUT_OF_RANGE: 'A field holds a value outside the range the protocol allows.',

  JSON_INVALID_FIELD: 'A JSON field is missing, unknown, or of the wrong type or form.',

  ADDRESS_MALFORMED: 'Not a bech32m address; one looks like tut1… (tutorial) or dev1… (devnet).',
  ADDRESS_BAD_CHECKSUM: 'The address checksum does not match: a character is mistyped.',
  ADDRESS_WRONG_NETWORK: 'The address belongs to another network (its prefix differs).',

  TX_WRONG_CHAIN: 'The transaction is for another network (chain id).',
  TX_AMOUNT_NOT_POSITIVE: 'The amount must be a whole number of base units, at least 1.',
  TX_FEE_NOT_POSITIVE: 'The fee must be a whole number of base units, at least 1.',
  TX_AMOUNT_TOO_LARGE:
    'Amount plus fee exceeds the most money that can exist (2^63 - 1 base units).',
  TX_BAD_PUBLIC_KEY:
    'The sender key is not a canonical Ed25519 public key, or is one of the 8 small-order points.',
  TX_BALANCE_OVERFLOW:
    'Crediting this would raise a balance above the most money that can exist (2^63 - 1 base units).',
  TX_BAD_SIGNATURE: "The signature does not match the transaction and the sender's key.",
  TX_NONCE_TOO_LOW:
    "The sender already used this nonce: a replay, or a transaction that's confirmed.",
  TX_NONCE_TOO_HIGH:
    "The nonce skips ahead of the sender's next nonce; send the missing ones first.",
  TX_INSUFFICIENT_FUNDS: 'The sender cannot pay amount plus fee from its spendable balance.',
  TX_COINBASE_NOT_ALLOWED: 'A coinbase only exists as the first transaction of a block.',

  TX_ALREADY_KNOWN: 'This exact transaction is already pending.',
  MEMPOOL_NONCE_CONFLICT:
    'Another pending transaction of this sender uses this nonce; pay a higher fee to replace it.',
  MEMPOOL_FULL: 'The mempool is full and this fee is too low to displace a pending transaction.',
  // Why a transfer left the mempool unconfirmed (GET /api/tx/:id answers status "dropped").
  MEMPOOL_REPLACED:
    'Another transfer with the same sender and nonce and a higher fee took its place.',
  MEMPOOL_EVICTED:
    'The mempool was full and this was its cheapest transfer; send it again with a higher fee.',
  MEMPOOL_EXPIRED: 'No block took it in time; send it again, with a higher fee if blocks are full.',

  BLOCK_TOO_LARGE: 'The encoded block is larger than the network allows.',
  BLOCK_BAD_VERSION: 'The header version is not one this protocol knows (1).',
  BLOCK_NO_COINBASE: 'The first transaction of a block must be its coinbase.',
  BLOCK_MULTIPLE_COINBASES: 'A block has exactly one coinbase, and it comes first.',
  BLOCK_COINBASE_BAD_HEIGHT: "The coinbase's height differs from the block's height.",
  BLOCK_COINBASE_TOO_LARGE:
    'The coinbase pays more than the block subsidy plus the fees of its transactions.',
  BLOCK_DUPLICATE_TX: 'The same transaction appears twice in the block.',
  BLOCK_BAD_MERKLE_ROOT: "The header's merkle root is not the root of the block's transaction ids.",
  BLOCK_BAD_PREVIOUS: 'The block does not link to the block it claims as parent (hash or height).',
  BLOCK_BAD_TARGET:
    'The header declares a target other than the one the chain requires at its height.',
  BLOCK_TIME_TOO_OLD: 'The timestamp is not later than the median of the previous 11 blocks.',
  BLOCK_TIME_TOO_NEW: "The timestamp is more than 2 hours ahead of this node's clock.",

  BLOCK_INVALID_ANCESTOR: 'The block is, or builds on, a block already found invalid.',

  POW_BAD_BITS: 'The compact target is negative, zero, overflowing, not canonical, or too easy.',
  POW_INSUFFICIENT_WORK:
    "The block hash is above the header's target: the proof of work is missing.",

  MINER_ABORTED:
    'Mining stopped (the miner was stopped or the node is closing) before a block was found.',

  CHAIN_BAD_GENESIS: "The chain does not start at this network's genesis block.",

  // What a node keeps of blocks nobody asked for (src/chain/sideBranches.ts): policy, not consensus.
  POLICY_FORK_TOO_DEEP:
    'An unrequested block on a branch that leaves the main chain too far below the tip; a branch with more work is fetched by sync.',
  POLICY_SIDE_BLOCK_RATE: 'Side blocks sent faster than this node takes them from one source.',
  POLICY_SIDE_BLOCKS_FULL:
    'The node holds as many unrequested side blocks as it keeps, until its main chain moves on.',

  // Talking to peers (src/p2p/): what one peer did wrong, as this node saw it.
  P2P_TIMEOUT: 'The peer did not answer in time.',
  P2P_TOO_SLOW:
    'The peer sent blocks too slowly: the sync gave up on it after several deadlines, and tries it again later.',
  P2P_UNREACHABLE: 'The peer could not be reached (refused, reset, no route).',
  P2P_BAD_RESPONSE: 'The peer answered with an error status, bad JSON, or data of the wrong shape.',
  P2P_TOO_LARGE: 'The peer sent more bytes than that answer may have.',
  P2P_WRONG_NETWORK: 'The peer is on another network (different genesis block).',
  P2P_SELF: 'That address is this node itself.',
  P2P_BAD_URL: 'Not a peer address; give host:port or http://host:port.',
  P2P_BANNED: 'The peer sent invalid data and is banned for a while.',
  P2P_PEER_LIMIT: 'This node already knows as many peers as it keeps.',
  P2P_SAME_KEY:
    "Another node answers with this node's key: two nodes share a data directory's node key (a copied folder?); give each its own --data-dir.",

  // The node process (src/node/).
  NODE_DATA_DIR_IN_USE:
    'Another blockyard node is running on this data directory; stop it, or give this one its own with --data-dir.',

  // The faucet (--faucet COINS): coins from the node's own wallet for a class.
  FAUCET_OFF: 'This node has no faucet, or its operator turned it off.',
  FAUCET_LIMIT:
    'The faucet already paid this address, or this computer, within the hour; try later.',
  FAUCET_EMPTY:
    "The faucet's wallet (the node's own address) cannot pay that much now; mine a block.",

  // The lab (nodes started with --lab, `blockyard lab`): its attacker's private branch.
  LAB_NOT_WITHHOLDING:
    'The node is not withholding blocks: start a private branch first (POST /api/lab/withhold {"on": true}).',
  // The lab controller (`blockyard lab`'s /lab/api/): its nodes, not the protocol.
  LAB_NO_SUCH_NODE: 'The lab has no node by that name; GET /lab/api/state lists its nodes.',
  LAB_NODE_NOT_RUNNING:
    'That node is stopped or paused, so it cannot take this control; restart or resume it first.',
  LAB_NOT_STARTED: 'No lab is running (a batch closed it, or its start failed): start a new lab.',
  LAB_BUSY: 'A scenario or a batch is still running on the lab; wait for its end.',
  LAB_FULL: 'The lab runs at most 8 nodes (each a whole node process) and has that many already.',

  // Requests to the API (src/api/), not protocol data.
  API_BAD_REQUEST:
    'The request does not match the route schema: a field is missing, unknown or of the wrong type.',
  API_BAD_JSON: 'The body is not valid JSON.',
  API_UNSIGNED_TRANSACTION:
    "Only the node's own address can send without a signature; sign with `blockyard wallet send` or the wallet page.",
  API_UNAUTHORIZED:
    'An operator action: call it from this machine, or send Authorization: Bearer <api token>.',
  API_NOT_FOUND: 'No such route, block, transaction or address.',
  API_AMBIGUOUS_PREFIX:
    'More than one block or transaction starts with these characters: give more of the hash (the message lists them).',
  API_BODY_TOO_LARGE: 'The body is larger than this route accepts.',
  API_UNSUPPORTED_MEDIA_TYPE:
    'Send application/json (or form-encoded where a tutorial route accepts it).',
  API_INTERNAL: 'The node failed unexpectedly; the log has the details. Please report it.',

  // The user's side (src/wallet/, the API client in the CLI and the browser). Never sent by a
  // node; listed here so every program shows the same meaning for the same code.
  WALLET_BAD_MNEMONIC:
    'The words are not a BIP-39 mnemonic: a word is misspelt, missing or out of order.',
  WALLET_BAD_PASSWORD: 'The password does not open this keystore.',
  WALLET_WEAK_PASSWORD: 'The password is too short to protect the keys; use at least 8 characters.',
  WALLET_BAD_KEYSTORE: 'The file is not a blockyard keystore, or it was changed.',
  WALLET_NOT_FOUND: 'No wallet by that name: list them with `blockyard wallet list`.',
  WALLET_EXISTS: 'A wallet by that name exists already: pick another name.',
  CLIENT_UNREACHABLE: 'The node did not answer: is it running, and is the URL right?',
  CLIENT_BAD_RESPONSE:
    'The node answered something that is not blockyard JSON: is the URL a blockyard node?',

  // The command line (src/cli/): what only a terminal meets.
  CLI_USAGE: 'The command line is not right.',
  CLI_NO_PASSWORD:
    'A password is needed: type it at the prompt, or set BLOCKYARD_PASSWORD in scripts.',
  CLI_PASSWORD_MISMATCH: 'The two passwords typed are not the same.',
  CLI_FILE: 'A file could not be read or written.',
  CLI_NETWORK_MISMATCH: 'The node is on another network than the one asked for with --network.',
  CLI_WAIT_TIMEOUT:
    'The transaction was sent, but did not get the confirmations asked for in time.',
  CLI_TX_DROPPED:
    'The transaction was sent, but the node no longer has it: it left the mempool unmined (replaced, evicted, or invalid after a reorganisation).',
  CLI_PROOF_INVALID:
    "The node's proof does not hold: its header does not hash to the block, misses its target, or the merkle path does not lead to its merkle root. Do not trust that node.",
  CLI_CANCELLED: 'Cancelled.',
  CLI_UNEXPECTED: 'Something unexpected failed.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof errorMeanings;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorMeanings, code);
}
