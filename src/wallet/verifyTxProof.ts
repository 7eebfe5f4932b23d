/**
 * The light client's round trips, shared by `blockyard wallet verify` and the browser's
 * transaction page: the node's tip (GET /api/info), the transaction's merkle proof (GET
 * /api/tx/:id/proof), then the main chain's headers after its block (GET /api/p2p/headers, the
 * route nodes sync from, page after page), all checked by the core's checkTxProof, here.
 */
import type { Answer, Client } from '../api/client.js';
import { checkTxProof, type ProofVerdict } from '../core/checkTxProof.js';
import { fromHex, sha256d, toHex } from '../core/index.js';

/** Headers a page (the route's maximum) and the most a check reads. */
const HEADERS_PAGE = 2_000;
const MAX_HEADERS = 100_000;

export interface VerifiedProof {
  readonly proof: Answer<'txProof'>;
  readonly verdict: ProofVerdict;
  readonly tipHeight: number;
}

export async function verifyTxProof(client: Client, id: string): Promise<VerifiedProof> {
  // The tip first: the headers fetched after it reach it even if blocks are mined meanwhile.
  const info = await client.info();
  const proof = await client.request('txProof', { params: { id } });
  const headers: Uint8Array[] = [];
  let after = proof.block_hash;
  while (headers.length < MAX_HEADERS) {
    const page = await client.request('p2pHeaders', {
      query: { locator: after, limit: HEADERS_PAGE },
    });
    headers.push(...page.headers.map((h) => fromHex(h)));
    // Headers that do not start on the block (it is not on the main chain): the check says so.
    const first = headers[0];
    if (first && toHex(first.subarray(8, 40)) !== proof.block_hash) break;
    if (page.headers.length < HEADERS_PAGE) break;
    // The next page goes on after the last header received: its hash is the next locator.
    after = toHex(sha256d(headers.at(-1)!));
  }
  const verdict = checkTxProof(
    {
      id: fromHex(id),
      blockHash: proof.block_hash,
      header: fromHex(proof.header_hex),
      path: proof.path.map((s) => ({ sibling: fromHex(s.hash), side: s.side })),
    },
    { headers, tipHash: info.tip_hash, tipHeight: info.height },
  );
  return { proof, verdict, tipHeight: info.height };
}
