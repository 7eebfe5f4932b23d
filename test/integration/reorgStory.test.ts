/**
 * A reorganisation tells its story (issue 14, point 4), between real nodes over HTTP. Two nodes
 * share a prefix that funds alice and the miner party, then mine apart: on the light node alice
 * pays bob and the miner party pays carol (one block); on the heavy node alice pays carol with
 * the same nonce (two blocks). When the light node meets the heavy one it reorganises, and:
 * its event stream carries one `reorg` event with the whole story (depth, fork point, the block
 * left behind and the one that replaced it, the payment returned to the pool, the double spend
 * dropped as a conflict with alice's other payment); GET /api/reorgs lists the same; the stale
 * block's page names its replacement and the reorg; each transaction's page tells its life.
 */
import { describe, expect, it } from 'vitest';
import { closeNodesAfterEach, expectError, get, readEvents } from '../support/http.js';
import { mine, waitForAll } from '../support/p2p.js';
import { reorgScenario } from '../support/reorgScenario.js';

closeNodesAfterEach();

describe('the story of a reorganisation', () => {
  it('is told by the event stream, /api/reorgs, the stale block and each transaction', async () => {
    const scenario = await reorgScenario();
    const { light, heavy, forkHash, forkHeight, toBob, stillValid, toCarol, heavyTip } = scenario;
    const lightBlock = { hash: scenario.lightBlock };
    const heavyFirst = { hash: scenario.heavyFirst };

    const stream = await fetch(`${light.url}/api/events`);
    const events = readEvents(stream);
    await scenario.meet();
    const { data: told } = await events.next('reorg');
    await events.close();

    expect(told).toMatchObject({
      seq: 1,
      depth: 1,
      fork_height: forkHeight,
      fork_hash: forkHash,
      old_tip: lightBlock.hash,
      old_height: forkHeight + 1,
      new_tip: heavyTip,
      new_height: forkHeight + 2,
      left_behind: [
        {
          hash: lightBlock.hash,
          height: forkHeight + 1,
          tx_count: 3,
          replaced_by: { hash: heavyFirst.hash, height: forkHeight + 1 },
        },
      ],
      new_blocks: [
        { hash: heavyFirst.hash, height: forkHeight + 1 },
        { hash: heavyTip, height: forkHeight + 2 },
      ],
      reconfirmed: [],
    });
    expect(told.returned).toEqual([
      expect.objectContaining({
        id: stillValid,
        amount: '777',
        left_in: { hash: lightBlock.hash, height: forkHeight + 1 },
      }),
    ]);
    expect(told.dropped).toEqual([
      expect.objectContaining({
        id: toBob,
        amount: '1000',
        code: 'TX_NONCE_TOO_LOW',
        conflicts_with: toCarol,
        left_in: { hash: lightBlock.hash, height: forkHeight + 1 },
      }),
    ]);
    expect(told.dropped[0].message).toContain(toCarol);

    // The same story on request, newest first.
    const listed = await get(`${light.url}/api/reorgs?limit=5`);
    expect(listed.status).toBe(200);
    expect(listed.body.reorgs).toEqual([told]);
    expect((await get(`${heavy.url}/api/reorgs`)).body.reorgs).toEqual([]);
    expectError(await get(`${light.url}/api/reorgs?limit=many`), 400, 'API_BAD_REQUEST');

    // The stale block names the block at its height now and the reorganisation that left it.
    const stale = (await get(`${light.url}/api/blocks/${lightBlock.hash}`)).body;
    expect(stale.main_chain).toBe(false);
    expect(stale.stale).toEqual({
      replaced_by: { hash: heavyFirst.hash, height: forkHeight + 1 },
      reorg: { seq: 1, at_ms: told.at_ms, depth: 1, new_tip: heavyTip },
    });
    expect((await get(`${light.url}/api/blocks/${heavyFirst.hash}`)).body.stale).toBeUndefined();

    // The double spend: pending, in the light block, dropped as a conflict with alice's other.
    const lost = (await get(`${light.url}/api/tx/${toBob}`)).body;
    expect(lost.status).toBe('dropped');
    expect(lost.reason.message).toContain(toCarol);
    expect(lost.life.map((s: { step: string }) => s.step)).toEqual([
      'pending',
      'confirmed',
      'dropped',
    ]);
    expect(lost.life[1].block).toEqual({ hash: lightBlock.hash, height: forkHeight + 1 });
    expect(lost.life[2]).toMatchObject({ reorg: 1, conflicts_with: toCarol });

    // The other payment: pending, in the light block, back to pending, then in a new block.
    const again = await mine(light);
    expect(again.transactions.map((t: { id: string }) => t.id)).toContain(stillValid);
    await waitForAll([light, heavy], again.hash);
    const kept = (await get(`${light.url}/api/tx/${stillValid}`)).body;
    expect(kept.status).toBe('confirmed');
    expect(
      kept.life.map((s: { step: string; block: { hash: string } | null }) => [
        s.step,
        s.block?.hash ?? null,
      ]),
    ).toEqual([
      ['pending', null],
      ['confirmed', lightBlock.hash],
      ['returned', null],
      ['confirmed', again.hash],
    ]);
    expect(kept.life[2].reorg).toBe(1);
    // Alice's payment to carol never moved: in one block, and that is its whole life.
    const paid = (await get(`${heavy.url}/api/tx/${toCarol}`)).body;
    expect(paid.life.map((s: { step: string }) => s.step)).toEqual(['pending', 'confirmed']);
  });
});
