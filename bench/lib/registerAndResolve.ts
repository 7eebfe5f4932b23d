/**
 * The adopt benches' request (bench/adopt.ts, freshAdoptProfile.ts, freshAdoptCallgrind.ts): a node
 * told of a peer AHEAD blocks longer, then asked to resolve onto it.
 */

/** Blocks the peer is ahead by. */
export const AHEAD = 20;

/** POST /nodes/register {nodes: [peer]}, then GET /nodes/resolve read whole: milliseconds. */
export async function registerAndResolve(
  url: string,
  peer: string,
): Promise<{ ms: number; length: number; replaced: boolean }> {
  const started = performance.now();
  const registered = await fetch(`${url}/nodes/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nodes: [peer] }),
  });
  await registered.arrayBuffer();
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const resolved = await fetch(`${url}/nodes/resolve`);
  const answer = (await resolved.json()) as {
    length?: number;
    new_chain?: unknown[];
    chain?: unknown[];
  };
  const elapsed = performance.now() - started;
  const length = answer.length ?? (answer.new_chain ?? answer.chain ?? []).length;
  return { ms: elapsed, length, replaced: answer.new_chain !== undefined };
}
