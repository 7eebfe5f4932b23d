/**
 * Mining you can feel (issue 15, points 2 and 7): `/mine` answers each block's tries, time, hash
 * rate, target and reward beside the tutorial's fields; `?count=N` mines N blocks; a long search
 * is reported while it runs; `blockyard mine N` prints the same; continuous mining keeps the
 * pace `--block-time` asks.
 */
import { describe, expect, it } from 'vitest';
import { COIN, tutorialParams } from '../../src/core/index.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import { bob } from '../support/chainBuilder.js';
import { heldSearch } from '../support/heldSearch.js';
import {
  addressOf,
  closeNodesAfterEach,
  expectError,
  get,
  postJson,
  readEvents,
  startNode,
} from '../support/http.js';
import { runCli } from './cli/runCli.js';

closeNodesAfterEach();

describe('/mine reports what finding a block took', { timeout: 120_000 }, () => {
  it('answers the tries, time, hash rate, target and reward beside the tutorial fields', async () => {
    // The inline search tries nonces 0, 1, 2, …: the tries are exactly the proof plus one.
    const node = await startNode({ params: tutorialParams, search: createInlineNonceSearch() });
    const first = await postJson(`${node.url}/mine`, {});
    expect(first.status).toBe(200);
    const forged = first.body;
    expect(forged).toMatchObject({ message: 'New Block Forged', index: 2, height: 1 });
    expect(forged.tries).toBe(Number(forged.proof) + 1);
    // 16 leading zero bits: 2^256 / (target + 1) = 65,537 tries on average.
    expect(forged.target).toBe(`0000ffff${'0'.repeat(56)}`);
    expect(forged.expected_tries).toBe(65_537);
    expect(forged.elapsed_ms).toBeGreaterThan(0);
    expect(forged.hash_rate).toBeCloseTo((forged.tries * 1000) / forged.elapsed_ms, 3);
    expect(forged).toMatchObject({ reward: 50, reward_units: `${50n * COIN}`, fees: 0 });
    expect(forged.blocks).toEqual([
      {
        height: 1,
        hash: forged.hash,
        target: forged.target,
        transactions: 1,
        tries: forged.tries,
        elapsed_ms: forged.elapsed_ms,
        hash_rate: forged.hash_rate,
        expected_tries: 65_537,
        reward: 50,
        reward_units: forged.reward_units,
        fees: 0,
        fees_units: '0',
      },
    ]);

    // A transfer's fee is part of the next block's reward.
    const sent = await postJson(`${node.url}/transactions/new`, {
      sender: node.nodeKey.address,
      recipient: addressOf(bob.key, tutorialParams),
      amount: 1,
      fee: 0.25,
    });
    expect(sent.status).toBe(201);
    const second = (await get(`${node.url}/mine`)).body;
    expect(second).toMatchObject({ height: 2, reward: 50.25, fees: 0.25, fees_units: '25000000' });
  });

  it('mines N blocks with ?count=N, each reported, and refuses a count out of range', async () => {
    const node = await startNode();
    const answer = await postJson(`${node.url}/mine?count=5`, {});
    expect(answer.status).toBe(200);
    expect(answer.body.message).toBe('5 New Blocks Forged');
    expect(answer.body.blocks.map((b: { height: number }) => b.height)).toEqual([1, 2, 3, 4, 5]);
    expect(answer.body.height).toBe(5);
    expect(node.chain.tip.header.height).toBe(5);
    expect(node.chain.tip.hashHex).toBe(answer.body.hash);
    for (const count of ['0', '1001', 'x', '-1']) {
      expectError(await get(`${node.url}/mine?count=${count}`), 400, 'API_BAD_REQUEST');
    }
    expect(node.chain.tip.header.height).toBe(5);
  });

  it('reports a search in progress on the event stream, then the block it found', async () => {
    // A search that holds until the test has seen it reported, then finds a nonce.
    const { search, release } = heldSearch();
    const node = await startNode({ search });
    const response = await fetch(`${node.url}/api/events`);
    const events = readEvents(response);
    const mined = postJson(`${node.url}/mine`, {});
    const progress = await events.next('mining');
    expect(progress.data).toMatchObject({ height: 1, tries: expect.any(Number) });
    expect(progress.data.elapsed_ms).toBeGreaterThanOrEqual(200);
    expect(progress.data.target).toMatch(/^[0-9a-f]{64}$/);
    release();
    const done = await events.next('mined');
    expect((await mined).body.hash).toBe(done.data.hash);
    expect(done.data).toMatchObject({ height: 1, tries: (await mined).body.tries });
    await events.close();
  });

  it('keeps the pace --block-time asks while mining continuously', async () => {
    const node = await startNode({ minerIntervalMs: 300, mine: true });
    const response = await fetch(`${node.url}/api/events`);
    const events = readEvents(response);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await events.next('block')).data.timestamp_ms);
    await events.close();
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300);
    }
  });
});

describe('blockyard mine', { timeout: 120_000 }, () => {
  it('mines N blocks on a node and prints what each took', async () => {
    const node = await startNode();
    const env = { BLOCKYARD_NODE: node.url };
    const text = await runCli(['mine', '3'], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Mined 3 blocks: the chain is now at height 3\.$/m);
    expect(text.stdout).toMatch(/^ {2}block +hash +tries +time +hash rate +reward$/m);
    expect(text.stdout).toMatch(
      /^ {2}3 +[0-9a-f]{16}… +[0-9,]+ +[0-9.]+ m?s +[0-9.]+ [kMG]?H\/s +50 coins$/m,
    );
    const json = await runCli(['mine', '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(json.json).toMatchObject({ height: 4, blocks: [{ height: 4 }] });
    const bad = await runCli(['mine', '0'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/COUNT must be a number of blocks from 1 to 1000, not "0"/);
  });
});
