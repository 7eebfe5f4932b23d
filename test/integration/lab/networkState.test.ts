/**
 * A lab wait that times out says what every node looked like then (tip, mempool, peers, and the
 * transfer it waited for), so that a run that hung on a loaded machine tells why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/lab.js';
import { until } from '../../../src/lab/scenarios/scenario.js';

const command: [string, ...string[]] = [
  process.execPath,
  '--import',
  'tsx',
  new URL('../../support/blockyardFromSource.ts', import.meta.url).pathname,
];

describe("a lab wait's timeout", () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await Lab.start({ nodes: ['one', 'two'], command });
  }, 120_000);
  afterAll(() => lab?.close());

  it("names each node's tip, mempool, peers and the awaited transfer's state on each", async () => {
    const id = 'ab'.repeat(32);
    const error = await until(lab, 'one', async () => false, 'something that never happens', {
      timeoutMs: 1_500,
      txId: id,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/waited 1\.5 s for something that never happens; the nodes then:/);
    for (const [node, peer] of [
      ['one', 'two'],
      ['two', 'one'],
    ])
      expect(message).toMatch(
        new RegExp(
          `^${node} \\(running, idle\\): tip 0:000175cb58; mempool 0 \\[\\]; peers ${peer}=answering@0:000175cb58; tx ababababab: unknown$`,
          'm',
        ),
      );
  }, 30_000);

  it('a short probe can time out without describing the nodes', async () => {
    const error = await until(lab, 'one', async () => undefined, 'a probe', {
      timeoutMs: 200,
      describe: false,
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('the lab waited 0.2 s for a probe');
  });
});
