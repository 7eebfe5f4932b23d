/**
 * Mutation fuzzing of the HTTP routes that take data, through app.inject() on a real node
 * (test/support/fuzz.ts): valid transfers, blocks, announces and ids with fields replaced, cut,
 * extended or retyped, under the content types a client may send. No answer is a 5xx; every
 * error is the one shape, with a code from the table and the table's status; the node's chain is
 * still valid afterwards. `npm run bench -- fuzz` runs many more cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateChain } from '../../src/core/index.js';
import { easyParams, verify } from '../support/chainBuilder.js';
import { checkAnswer, fuzzTarget, requestArb } from '../support/fuzz.js';

describe('mutation fuzzing of the routes', () => {
  it('answers every mutated request below 500, with the table’s code and status', async () => {
    const { node, examples } = await fuzzTarget();
    let cases = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(requestArb(examples), async (request) => {
        cases++;
        const answer = await node.app.inject({
          method: request.method,
          url: request.url,
          ...(request.payload === undefined ? {} : { payload: request.payload }),
          ...(request.contentType ? { headers: { 'content-type': request.contentType } } : {}),
        });
        checkAnswer(request, answer.statusCode, answer.body);
        if (answer.statusCode < 300) accepted++;
      }),
      { numRuns: 1_500 },
    );
    expect(cases).toBe(1_500);
    // Not only refusals: mutated ids still find things, and some mutations keep a body valid.
    expect(accepted).toBeGreaterThan(50);
    const blocks = node.chain.main.map((e) => node.chain.getBlock(e));
    expect(validateChain(blocks, easyParams, verify, Date.now()).ok).toBe(true);
    expect((await node.app.inject({ method: 'GET', url: '/api/info' })).statusCode).toBe(200);
    await node.close();
  }, 120_000);
});
