/**
 * Bad input on the peers' routes: the tutorials' /nodes/*, the node-to-node /api/p2p/*, joining
 * and the faucet.
 */
import {
  aliceAddress,
  bodies,
  bodyCases,
  type Case,
  methodCases,
  paths,
  unknownHash,
} from './cases.js';

/** A well-formed hello from a node of another network. */
const foreignHello = {
  version: '0',
  network: 'x',
  chain_id: 99,
  genesis_hash: unknownHash,
  node_address: 'x',
  port: 1,
  height: 0,
  tip_hash: unknownHash,
  chain_work: '1',
};

export const peerCases: Case[] = [
  // ---- peers: the tutorials' routes and the node-to-node ones
  ...bodyCases('POST /nodes/register'),
  ...methodCases('POST /nodes/register', ['GET', 'PUT']),
  ...bodies('POST /nodes/register', [
    ['no nodes field', {}, 400, 'API_BAD_REQUEST'],
    ['an empty list', { nodes: [] }, 400, 'API_BAD_REQUEST'],
    ['a number', { nodes: 5 }, 400, 'API_BAD_REQUEST'],
    ['an unknown field', { nodes: ['127.0.0.1:1'], note: 1 }, 400, 'API_BAD_REQUEST'],
    ['a path, not a node', { nodes: ['http://127.0.0.1:1/chain'] }, 400, 'P2P_BAD_URL'],
    ['a user:password URL', { nodes: ['http://me:pw@127.0.0.1:1'] }, 400, 'P2P_BAD_URL'],
    ['an ftp URL', { nodes: ['ftp://127.0.0.1:1'] }, 400, 'P2P_BAD_URL'],
    ['commas only', { nodes: ' , ,' }, 400, 'API_BAD_REQUEST'],
  ]),
  ...bodyCases('POST /nodes/remove'),
  ...methodCases('POST /nodes/remove', ['GET', 'DELETE']),
  ...bodies('POST /nodes/remove', [
    ['no nodes field', {}, 400, 'API_BAD_REQUEST'],
    ['an empty list', { nodes: [] }, 400, 'API_BAD_REQUEST'],
    ['an unknown field', { nodes: ['127.0.0.1:1'], note: 1 }, 400, 'API_BAD_REQUEST'],
    ['a node that is not a peer', { nodes: ['127.0.0.1:1'] }, 404, 'API_NOT_FOUND'],
    ['not a URL at all', { nodes: ['http://me:pw@x'] }, 404, 'API_NOT_FOUND'],
  ]),
  ...bodyCases('POST /nodes/unban'),
  ...methodCases('POST /nodes/unban', ['GET', 'DELETE']),
  ...bodies('POST /nodes/unban', [
    ['no nodes field', {}, 400, 'API_BAD_REQUEST'],
    ['a node that is not a peer', { nodes: ['127.0.0.1:1'] }, 404, 'API_NOT_FOUND'],
  ]),
  ...methodCases('GET /api/p2p/hello', ['PUT', 'DELETE']),
  ...methodCases('GET /api/join', ['POST', 'DELETE']),
  ...methodCases('GET /api/faucet', ['PUT', 'DELETE']),
  ...bodyCases('POST /api/faucet'),
  ...bodies('POST /api/faucet', [
    ['no address', {}, 400, 'API_BAD_REQUEST'],
    ['an unknown field', { address: aliceAddress, note: 1 }, 400, 'API_BAD_REQUEST'],
    ['a node without a faucet', { address: aliceAddress }, 403, 'FAUCET_OFF'],
  ]),
  ...bodyCases('POST /api/faucet/config'),
  ...bodies('POST /api/faucet/config', [
    ['enabled not a boolean', { enabled: 'no' }, 400, 'API_BAD_REQUEST'],
    ['a node without a faucet', { enabled: false }, 403, 'FAUCET_OFF'],
  ]),
  ...methodCases('GET /nodes/get', ['POST', 'DELETE']),
  ...methodCases('GET /nodes/resolve', ['POST', 'DELETE']),
  ...bodyCases('POST /api/p2p/hello'),
  ...bodies('POST /api/p2p/hello', [
    ['an empty hello', {}, 400, 'API_BAD_REQUEST'],
    ['another network', foreignHello, 422, 'P2P_WRONG_NETWORK'],
    [
      'an instance that is not 16 hex digits',
      { ...foreignHello, instance: 'me' },
      400,
      'API_BAD_REQUEST',
    ],
    ['port 0', { ...foreignHello, port: 0 }, 400, 'API_BAD_REQUEST'],
  ]),
  ...methodCases('GET /api/p2p/peers', ['POST']),
  ...paths('GET /api/p2p/headers', [
    ['no locator', '/api/p2p/headers', 400, 'API_BAD_REQUEST'],
    ['a short hash', '/api/p2p/headers?locator=abcd', 400, 'API_BAD_REQUEST'],
    ['upper-case hex', `/api/p2p/headers?locator=${'AB'.repeat(32)}`, 400, 'API_BAD_REQUEST'],
    [
      '65 hashes',
      `/api/p2p/headers?locator=${Array(65).fill(unknownHash).join(',')}`,
      400,
      'API_BAD_REQUEST',
    ],
    ['a huge limit', `/api/p2p/headers?locator=${unknownHash}&limit=99999`, 400, 'API_BAD_REQUEST'],
    [
      'an unknown parameter',
      `/api/p2p/headers?locator=${unknownHash}&from=1`,
      400,
      'API_BAD_REQUEST',
    ],
  ]),
  ...paths('GET /api/p2p/blocks', [
    ['no hashes', '/api/p2p/blocks', 400, 'API_BAD_REQUEST'],
    [
      '17 hashes',
      `/api/p2p/blocks?hashes=${Array(17).fill(unknownHash).join(',')}`,
      400,
      'API_BAD_REQUEST',
    ],
    ['an unknown block', `/api/p2p/blocks?hashes=${unknownHash}`, 404, 'API_NOT_FOUND'],
    [
      '65 hashes with max_bytes',
      `/api/p2p/blocks?hashes=${Array(65).fill(unknownHash).join(',')}&max_bytes=1000`,
      400,
      'API_BAD_REQUEST',
    ],
    ...(
      [
        ['max_bytes 0', '0'],
        ['max_bytes with a leading zero', '01'],
        ['max_bytes of 10 digits', '1000000000'],
        ['max_bytes negative', '-5'],
        ['max_bytes not a number', 'lots'],
        ['max_bytes empty', ''],
      ] as const
    ).map(
      ([name, value]) =>
        [
          name,
          `/api/p2p/blocks?hashes=${unknownHash}&max_bytes=${value}`,
          400,
          'API_BAD_REQUEST',
        ] as const,
    ),
    [
      'an unknown block with max_bytes',
      `/api/p2p/blocks?hashes=${unknownHash}&max_bytes=1000`,
      404,
      'API_NOT_FOUND',
    ],
  ]),
  ...bodyCases('POST /api/p2p/announce'),
  ...bodies('POST /api/p2p/announce', [
    ['a short header', { headers: ['00'] }, 400, 'API_BAD_REQUEST'],
    ['a transaction of the wrong size', { txs: ['01'.repeat(100)] }, 400, 'API_BAD_REQUEST'],
    ['an unknown field', { blocks: [] }, 400, 'API_BAD_REQUEST'],
    ['a header without proof of work', { headers: ['00'.repeat(92)] }, 422, 'BLOCK_BAD_VERSION'],
    [
      'a transaction of an unknown type',
      { txs: ['07'.repeat(157)] },
      400,
      'ENCODING_UNKNOWN_TX_TYPE',
    ],
  ]),
];
