/**
 * The lab server's controls (`POST /lab/api/control`, what the Lab page sends) on real node
 * processes: a delay on a link, withholding and releasing, a node added and a node paused, each
 * read back from the nodes through `GET /lab/api/state`; each node's mempool and the actors'
 * balances as that node sees them; and every bad request refused with its status and stable code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from '../../../src/lab/actors.js';
import { Lab } from '../../../src/lab/lab.js';
import { type LabServer, startLabServer } from '../../../src/lab/labServer.js';

const command: [string, ...string[]] = [
  process.execPath,
  '--import',
  'tsx',
  new URL('../../support/blockyardFromSource.ts', import.meta.url).pathname,
];

let lab: Lab;
let server: LabServer;
beforeAll(async () => {
  lab = await Lab.start({ nodes: ['node0', 'node1'], command });
  server = await startLabServer({ lab, command, rate: 20_000 });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const post = async (path: string, body: unknown) => {
  const answer = await fetch(`${server.url}/lab/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: answer.status,
    body: (await answer.json()) as { error?: { code: string; message: string } },
  };
};
const control = (body: unknown) => post('control', body);
const ok = async (body: unknown) => expect((await control(body)).status).toBe(200);

interface NodeState {
  name: string;
  state: string;
  url: string;
  status: {
    mining: boolean;
    hash_rate_cap: number | null;
    links: { peer: string; cut: boolean; delay_ms: number }[];
    withholding: { on: boolean; blocks: unknown[] };
  } | null;
  views: {
    mempool: { count: number; txs: { amount: string; to: string }[] };
    balances: Record<string, string>;
  } | null;
}
const state = async () => {
  const body = (await (await fetch(`${server.url}/lab/api/state`)).json()) as {
    nodes: NodeState[];
    actors: { name: string; address: string }[];
  };
  return { ...body, node: (name: string) => body.nodes.find((n) => n.name === name) };
};

describe('the lab server, on real nodes', () => {
  it('refuses bad controls with a status and a stable code', async () => {
    const cases: [unknown, number, string][] = [
      [{ action: 'fly' }, 400, 'API_BAD_REQUEST'],
      [{ action: 'mining', node: 'node9', on: true }, 404, 'LAB_NO_SUCH_NODE'],
      [{ action: 'mining', node: 'node0', on: 'yes' }, 400, 'API_BAD_REQUEST'],
      [{ action: 'hash_rate', node: 'node0', rate: 0 }, 400, 'API_BAD_REQUEST'],
      [{ action: 'delay', a: 'node0', b: 'node1', ms: -5 }, 400, 'API_BAD_REQUEST'],
      [{ action: 'delay', a: 'node0', b: 'node1', ms: 600_000 }, 400, 'API_BAD_REQUEST'],
      [{ action: 'delay', a: 'node0', b: 'node0', ms: 10 }, 400, 'API_BAD_REQUEST'],
      [{ action: 'cut', a: 'node0' }, 400, 'API_BAD_REQUEST'],
      [{ action: 'partition', left: ['node0'], right: ['node0'] }, 400, 'API_BAD_REQUEST'],
      [{ action: 'partition', left: [], right: ['node1'] }, 400, 'API_BAD_REQUEST'],
      [{ action: 'resume', node: 'node0' }, 409, 'LAB_NODE_NOT_RUNNING'],
      [{ action: 'release', node: 'node0' }, 409, 'LAB_NOT_WITHHOLDING'],
      [{ action: 'release', node: 'node0', count: 0 }, 400, 'API_BAD_REQUEST'],
      [{ action: 'add_node', name: 'Node 2!' }, 400, 'API_BAD_REQUEST'],
      [{ action: 'add_node', name: 'node1' }, 400, 'API_BAD_REQUEST'],
      ['[1, 2]', 400, 'API_BAD_REQUEST'],
      ['{"action":', 400, 'API_BAD_JSON'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await control(body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({
        body,
        status,
        code,
      });
      expect(answer.body.error?.message.length).toBeGreaterThan(5);
    }
    for (const [body, code] of [
      [{ name: 'no-such-attack' }, 'API_BAD_REQUEST'],
      [{ name: 'race-attack', k: -1 }, 'API_BAD_REQUEST'],
      [{ name: 'race-attack', k: 1, q: 1.5 }, 'API_BAD_REQUEST'],
    ] as const) {
      const answer = await post('scenario', body);
      expect([answer.status, answer.body.error?.code]).toEqual([400, code]);
    }
  }, 60_000);

  it('delays a link, withholds and releases, adds and pauses a node: each read back from the nodes', async () => {
    // A delay on one link, at both ends, as the nodes report it.
    await ok({ action: 'delay', a: 'node0', b: 'node1', ms: 250 });
    const delayed = await state();
    const linkOf = (from: string, to: string) =>
      delayed.node(from)!.status!.links.find((l) => l.peer === delayed.node(to)!.url);
    expect(linkOf('node0', 'node1')).toMatchObject({ cut: false, delay_ms: 250 });
    expect(linkOf('node1', 'node0')).toMatchObject({ cut: false, delay_ms: 250 });
    await ok({ action: 'delay', a: 'node0', b: 'node1', ms: 0 });

    // node0 mines a block, then pays bob from its reward while nobody mines: both mempools have it.
    const bob = new Wallet('bob');
    lab.addActor('bob', bob.address);
    await ok({ action: 'hash_rate', node: 'node0', rate: 20_000 });
    await ok({ action: 'mining', node: 'node0', on: true });
    await lab.timeline.seenOrWait((e) => e.kind === 'block' && e.node === 'node1', 'a block');
    await ok({ action: 'mining', node: 'node0', on: false });
    const sender = lab.addresses.get('node0')!;
    await lab.client('node0').request('newTransaction', {
      body: { sender, recipient: bob.address, amount: '1.5' },
    });
    await expect
      .poll(async () => (await state()).node('node1')?.views?.mempool, { timeout: 30_000 })
      .toMatchObject({ count: 1, txs: [{ amount: '150000000', to: bob.address }] });
    const before = await state();
    expect(before.actors.map((a) => a.name)).toEqual(['bob', "node0's miner", "node1's miner"]);
    expect(BigInt(before.node('node1')!.views!.balances["node0's miner"]!)).toBeGreaterThan(0n);
    expect(before.node('node1')!.views!.balances.bob).toBe('0');

    // Withholding: node0 mines a private block the others do not have…
    const reward = (view: Awaited<ReturnType<typeof state>>, node: string) =>
      BigInt(view.node(node)!.views!.balances["node0's miner"]!);
    await ok({ action: 'withhold', node: 'node0', on: true });
    await ok({ action: 'mining', node: 'node0', on: true });
    const withheld = await lab.timeline.waitFor(
      (e) => e.kind === 'withheld' && e.node === 'node0',
      'a withheld block',
    );
    await ok({ action: 'mining', node: 'node0', on: false });
    const hidden = await state();
    expect(hidden.node('node0')!.status!.withholding.on).toBe(true);
    expect(hidden.node('node0')!.status!.withholding.blocks.length).toBeGreaterThan(0);
    // …until it releases them: node1 connects the block, and its reward shows there.
    await ok({ action: 'release', node: 'node0' });
    await lab.timeline.seenOrWait(
      (e) =>
        e.kind === 'block' && e.node === 'node1' && e.hash === (withheld as { hash: string }).hash,
      'node1 to connect the released block',
    );
    await expect
      .poll(async () => reward(await state(), 'node1') > reward(hidden, 'node1'), {
        timeout: 30_000,
      })
      .toBe(true);
    await ok({ action: 'withhold', node: 'node0', on: false });

    // node1 mines bob's payment (a private block carries only private transfers).
    await ok({ action: 'hash_rate', node: 'node1', rate: 20_000 });
    await ok({ action: 'mining', node: 'node1', on: true });
    await expect
      .poll(async () => (await state()).node('node0')?.views?.balances.bob, { timeout: 60_000 })
      .toBe('150000000');
    await ok({ action: 'mining', node: 'node1', on: false });
    expect((await state()).node('node0')!.views!.mempool.count).toBe(0);

    // A node added: a new process that joins and syncs the chain the others have.
    await ok({ action: 'add_node' });
    const grown = await state();
    expect(grown.nodes.map((n) => [n.name, n.state])).toEqual([
      ['node0', 'running'],
      ['node1', 'running'],
      ['node2', 'running'],
    ]);
    // Not mining, with the share each node of this 2-node lab's fresh start has (20,000 / 2).
    expect(grown.node('node2')!.status!.mining).toBe(false);
    expect(grown.node('node2')!.status!.hash_rate_cap).toBe(10_000);
    await expect
      .poll(async () => (await state()).node('node2')?.views?.balances.bob, { timeout: 60_000 })
      .toBe('150000000');

    // Paused (SIGSTOP) and woken (SIGCONT); a paused node takes no other control.
    await ok({ action: 'pause', node: 'node2' });
    expect((await state()).node('node2')!.state).toBe('paused');
    expect((await control({ action: 'mining', node: 'node2', on: true })).body.error?.code).toBe(
      'LAB_NODE_NOT_RUNNING',
    );
    await ok({ action: 'resume', node: 'node2' });
    expect((await state()).node('node2')!.status).not.toBeNull();
  }, 180_000);

  it('answers the dashboard with a lab code, not "unreachable", while no node runs', async () => {
    const info = () => fetch(`${server.url}/api/info`);
    expect((await info()).status).toBe(200);
    for (const node of lab.names) await ok({ action: 'stop', node });
    const stopped = await info();
    expect(stopped.status).toBe(409);
    const body = (await stopped.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('LAB_NODE_NOT_RUNNING');
    expect(body.error.message).toContain('restart or wake one');
    await ok({ action: 'restart', node: 'node0' });
    expect((await info()).status).toBe(200);
  }, 120_000);
});
