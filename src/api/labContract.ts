/**
 * The lab's routes (issue 14): operator routes that exist only on nodes started with --lab, so
 * no ordinary node can be slowed, cut off or made to withhold from outside. An ordinary node
 * answers 404 for them. contract.ts lists them with the others (`lab: true`).
 */
import { Type } from '@sinclair/typebox';
import { TxBody } from './inputs.js';
import { codesWith, route } from './route.js';
import { Hex64, Nullable, object } from './schemas.js';

/** The most hashes a second a lab cap may ask for (uncapped: null). */
export const MAX_LAB_HASH_RATE = 100_000_000;
export const MAX_LAB_DELAY_MS = 60_000;

const LinkView = object({
  peer: Type.String({ examples: ['http://127.0.0.1:5001'] }),
  cut: Type.Boolean(),
  delay_ms: Type.Integer({ minimum: 0 }),
});

export const LabStatus = object({
  /** The node's own address: the lab tells its nodes (and their rewards) apart by it. */
  node_address: Type.String(),
  hash_rate_cap: Nullable(Type.Integer({ description: 'hashes per second; null: no cap' })),
  hash_rate: Type.Number({ description: 'hashes per second measured' }),
  mining: Type.Boolean({ description: 'mining on (publicly, or privately while withholding)' }),
  links: Type.Array(LinkView, { description: 'links that are cut or delayed' }),
  withholding: object({
    on: Type.Boolean(),
    base_height: Type.Integer(),
    base_hash: Hex64,
    blocks: Type.Array(object({ height: Type.Integer(), hash: Hex64, txs: Type.Integer() })),
    pending_txs: Type.Array(Hex64),
    release: Type.Union([Type.Literal('manual'), Type.Literal('ahead'), Type.Literal('selfish')], {
      description:
        'when private blocks go public: when released (manual), as soon as the private branch is longer (ahead), or by Eyal and Sirer (selfish)',
    }),
  }),
});

const Released = object({
  released: Type.Array(
    object({
      hash: Hex64,
      height: Type.Integer(),
      status: Type.String({ description: 'connected, side, duplicate, orphan, or a refusal code' }),
    }),
  ),
  status: LabStatus,
});

const lab = ['lab'];

export const labRoutes = {
  labStatus: route({
    method: 'GET',
    url: '/api/lab',
    tags: lab,
    summary: 'Lab node: its hash-rate cap, mining, links and private branch',
    operator: true,
    lab: true,
    ok: { 200: LabStatus },
  }),
  labMiner: route({
    method: 'POST',
    url: '/api/lab/miner',
    tags: lab,
    summary:
      'Lab node: cap its hash rate (hashes per second, null: none) and turn mining on or off',
    operator: true,
    lab: true,
    body: object({
      hash_rate: Type.Optional(
        Nullable(Type.Integer({ minimum: 1, maximum: MAX_LAB_HASH_RATE, examples: [5000] })),
      ),
      mining: Type.Optional(Type.Boolean()),
    }),
    ok: { 200: LabStatus },
  }),
  labLinks: route({
    method: 'POST',
    url: '/api/lab/links',
    tags: lab,
    summary: 'Lab node: cut or restore its links to peers, or add a delay to each call to them',
    operator: true,
    lab: true,
    body: object({
      peers: Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 100 }),
      cut: Type.Optional(Type.Boolean()),
      delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LAB_DELAY_MS })),
    }),
    ok: { 200: LabStatus },
  }),
  labWithhold: route({
    method: 'POST',
    url: '/api/lab/withhold',
    tags: lab,
    summary:
      'Lab node: on, mine a private branch from the current tip (again from the tip if on); off, drop it',
    operator: true,
    lab: true,
    body: object({ on: Type.Boolean() }),
    ok: { 200: LabStatus },
  }),
  labRelease: route({
    method: 'POST',
    url: '/api/lab/release',
    tags: lab,
    summary:
      "Lab node: hand the first `count` private blocks (default all) to its chain, which announces them; or, with `when`, from now on release by itself: as soon as its branch is longer than the public chain (ahead), or by Eyal and Sirer's rules (selfish)",
    operator: true,
    lab: true,
    body: object({
      count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000 })),
      when: Type.Optional(
        Type.Union([Type.Literal('now'), Type.Literal('ahead'), Type.Literal('selfish')]),
      ),
    }),
    ok: { 200: Released },
    errors: ['LAB_NOT_WITHHOLDING'],
  }),
  labPrivateTx: route({
    method: 'POST',
    url: '/api/lab/private-tx',
    tags: lab,
    summary: 'Lab node: a signed transfer for its private branch only (no mempool, no gossip)',
    operator: true,
    lab: true,
    body: TxBody,
    ok: { 201: object({ id: Hex64, status: LabStatus }) },
    errors: ['LAB_NOT_WITHHOLDING', ...codesWith('ENCODING_', 'JSON_', 'ADDRESS_', 'TX_')],
  }),
} as const;
