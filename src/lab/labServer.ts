/**
 * The lab's page server (`blockyard lab`): the dashboard (dist/web) with its Lab page, the lab's
 * own API under /lab/api/ (the nodes, the timeline, the controls, the scenarios), and every other
 * request passed to the lab's first running node, so the rest of the dashboard shows that node.
 * It listens on loopback only: whoever reaches it steers every node.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { findWebRoot, loadWebFiles } from '../api/routes/home.js';
import { runBatch } from './batch.js';
import type { BatchResult, SelfishBatchResult } from './batchResult.js';
import { Lab } from './lab.js';
import { applyControl, LabRequestError, parseControl } from './labControl.js';
import { type ActorView, actorsOf, type NodeViews, readNodeViews } from './labViews.js';
import { runScenario } from './runScenario.js';
import { scenarios } from './scenarios/index.js';
import { runSelfishBatch } from './selfishBatch.js';
import type { LabEvent } from './timeline.js';

const MAX_BODY = 64 * 1024;
/** Mempools and balances are read again at most this often (the page polls every 0.7 s). */
const VIEWS_EVERY_MS = 1_000;

export interface LabServer {
  readonly url: string;
  lab(): Lab | undefined;
  close(): Promise<void>;
}

/** A batch started from the page: small (the page's limits), run on its own lab nodes. */
interface BatchRun {
  readonly kind: 'majority' | 'selfish';
  running: boolean;
  done: number;
  readonly total: number;
  result?: BatchResult | SelfishBatchResult;
  error?: string;
}

/** The page may ask for this much at most: a full batch is `blockyard lab batch`'s. */
const PAGE_BATCH_MAX_RUNS = 60;

interface ScenarioRun {
  readonly name: string;
  running: boolean;
  result?: unknown;
  error?: string;
}

export async function startLabServer(options: {
  lab: Lab;
  port?: number;
  command?: readonly [string, ...string[]];
  /** The whole lab's hash rate (hashes a second), shared equally among a fresh lab's nodes. */
  rate: number;
}): Promise<LabServer> {
  let lab: Lab | undefined = options.lab;
  /** A new lab has as many nodes as the first, each with an equal share of the hash rate. */
  const size = options.lab.names.length;
  const share = Math.round(options.rate / size);
  /** The timeline shown: the current lab's, or the last scenario's once its nodes are gone. */
  let events: readonly LabEvent[] = lab.timeline.events;
  let names = lab.names;
  let run: ScenarioRun | undefined;
  let batch: BatchRun | undefined;
  const root = findWebRoot();
  const files = root ? loadWebFiles(root) : new Map();

  /**
   * Each node's mempool and the actors' balances, read again only when the timeline grew or a
   * node changed state (every change to them is an event): the page polls often.
   */
  let views:
    | { lab: Lab; key: string; at: number; actors: ActorView[]; byNode: Map<string, NodeViews> }
    | undefined;
  const readViews = async () => {
    const current = lab;
    // NOTE: not while a batch runs: its attacker reacts to its node over HTTP, and the figures
    // it measures should not pay for the page's reads.
    if (!current || batch?.running) return undefined;
    const key = `${events.length}|${current.actors.size}|${[...current.nodes.values()].map((n) => `${n.name}:${n.state}`).join(',')}`;
    if (views?.lab === current && (views.key === key || Date.now() - views.at < VIEWS_EVERY_MS))
      return views;
    const actors = actorsOf(current);
    const byNode = new Map<string, NodeViews>();
    await Promise.all(
      current.names
        .filter((name) => current.node(name).state === 'running')
        .map(async (name) => {
          const read = await readNodeViews(current, name, actors).catch(() => undefined);
          if (read) byNode.set(name, read);
        }),
    );
    views = { lab: current, key, at: Date.now(), actors, byNode };
    return views;
  };

  const state = async (since: number) => {
    const seen = await readViews();
    const nodes = await Promise.all(
      names.map(async (name) => {
        const node = lab?.nodes.get(name);
        const status =
          node && node.state === 'running'
            ? await lab!.status(name).catch(() => undefined)
            : undefined;
        return {
          name,
          url: node?.url ?? null,
          state: node?.state ?? 'stopped',
          pid: node?.pid ?? null,
          address: lab?.addresses.get(name) ?? null,
          status: status ?? null,
          views: seen?.byNode.get(name) ?? null,
        };
      }),
    );
    return {
      nodes,
      actors: seen?.actors ?? [],
      total: events.length,
      events: events.slice(since),
      scenario: run ?? null,
      batch: batch ?? null,
    };
  };

  const control = async (body: Record<string, unknown>): Promise<void> => {
    if (run?.running || batch?.running)
      throw new LabRequestError(
        'LAB_BUSY',
        `${run?.running ? run.name : 'a batch'} is still running: its nodes are not yours to steer until it ends`,
      );
    if (body.action === 'new_lab') {
      await lab?.close();
      lab = undefined;
      lab = await Lab.start({
        nodes: Array.from({ length: size }, (_, i) => `node${i}`),
        ...(options.command ? { command: options.command } : {}),
      });
      events = lab.timeline.events;
      names = lab.names;
      for (const n of names) await lab.setHashRate(n, share, true);
      return;
    }
    if (!lab) throw new LabRequestError('LAB_NOT_STARTED', 'no lab is running: start a new one');
    const current = lab;
    await applyControl(current, parseControl(body, current), share);
    // A node added shows from now on.
    if (current === lab) names = current.names;
  };

  const startScenario = async (body: Record<string, unknown>) => {
    const name = body.name;
    if (typeof name !== 'string' || !scenarios[name])
      throw new LabRequestError(
        'API_BAD_REQUEST',
        `name is one of the scenarios: ${Object.keys(scenarios).join(', ')}`,
      );
    const k = body.k ?? 0;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 20)
      throw new LabRequestError('API_BAD_REQUEST', 'k is a whole number of confirmations, 0 to 20');
    if (body.q !== undefined && !(typeof body.q === 'number' && body.q > 0 && body.q < 1))
      throw new LabRequestError('API_BAD_REQUEST', "q is the attacker's share, between 0 and 1");
    if (run?.running) throw new LabRequestError('LAB_BUSY', `${run.name} is still running`);
    if (batch?.running) throw new LabRequestError('LAB_BUSY', 'a batch is still running');
    await lab?.close();
    lab = undefined;
    const current: ScenarioRun = { name, running: true };
    run = current;
    void runScenario(name, {
      k,
      ...(body.q === undefined ? {} : { q: body.q as number }),
      ...(options.command ? { command: options.command } : {}),
      // NOTE: the scenario's nodes stay up once it ends (not mining, as each scenario leaves
      // them): the page keeps showing them live, to look around and steer on, until a new lab.
      keepLab: true,
      onLab: (started) => {
        lab = started;
        events = started.timeline.events;
        names = started.names;
      },
    })
      .then(({ timeline: _timeline, ...result }) => {
        current.result = result;
      })
      .catch((error: Error) => {
        current.error = error.message;
      })
      .finally(() => {
        current.running = false;
      });
  };

  /** Starts a batch on its own nodes (the lab shown is closed first); what is wrong with its body, or undefined. */
  const startBatch = (body: Record<string, unknown>): string | undefined => {
    const kind =
      body.kind === 'selfish' ? 'selfish' : body.kind === 'majority' ? 'majority' : undefined;
    const numbers = (v: unknown) =>
      Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')
        ? (v as number[])
        : undefined;
    const qs = numbers(body.q);
    const ks = kind === 'selfish' ? [0] : numbers(body.k);
    const trials = Number(body.trials);
    const blocks = Number(body.blocks ?? 30);
    if (!kind) return 'kind is "majority" or "selfish"';
    if (!qs || qs.some((q) => !(q > 0 && q < (kind === 'selfish' ? 0.5 : 1))))
      return `q lists the attacker's shares, each between 0 and ${kind === 'selfish' ? '0.5' : '1'}`;
    if (!ks || ks.some((k) => !Number.isInteger(k) || k < 0 || k > 20))
      return 'k lists confirmations, each from 0 to 20';
    if (!Number.isInteger(trials) || trials < 1) return 'trials is a whole number, at least 1';
    if (!Number.isInteger(blocks) || blocks < 5 || blocks > 200)
      return 'blocks is a whole number from 5 to 200';
    const total = qs.length * ks.length * trials;
    if (total > PAGE_BATCH_MAX_RUNS)
      return `${total} runs is more than the page starts (${PAGE_BATCH_MAX_RUNS}): run blockyard lab batch and load its --json`;
    if (run?.running) throw new LabRequestError('LAB_BUSY', `${run.name} is still running`);
    if (batch?.running) throw new LabRequestError('LAB_BUSY', 'a batch is still running');
    const current: BatchRun = { kind, running: true, done: 0, total };
    batch = current;
    const command = {
      ...(options.command ? { command: options.command } : {}),
      onLab: (started: Lab) => {
        lab = started;
        events = started.timeline.events;
        names = started.names;
      },
    };
    void (async () => {
      await lab?.close();
      lab = undefined;
      current.result =
        kind === 'selfish'
          ? await runSelfishBatch({
              alphas: qs,
              trials,
              blocks,
              networkRate: options.rate,
              ...command,
              onRun: () => void current.done++,
            })
          : await runBatch({
              qs,
              ks,
              trials,
              networkRate: options.rate,
              ...command,
              onTrial: () => void current.done++,
            });
    })()
      .catch((error: Error) => {
        current.error = error.message;
      })
      .finally(() => {
        current.running = false;
        lab = undefined;
      });
    return undefined;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: Error) => {
      const known = error instanceof LabRequestError;
      json(res, known ? error.status : 500, {
        error: { code: known ? error.code : 'API_INTERNAL', message: error.message },
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/lab/api/state') {
      const since = Number(new URL(req.url!, 'http://x').searchParams.get('since') ?? 0);
      return json(res, 200, await state(Number.isInteger(since) && since >= 0 ? since : 0));
    }
    if (path === '/lab/api/control' && req.method === 'POST') {
      await control(await readJson(req));
      return json(res, 200, { ok: true });
    }
    if (path === '/lab/api/scenario' && req.method === 'POST') {
      await startScenario(await readJson(req));
      return json(res, 202, { ok: true });
    }
    if (path === '/lab/api/batch' && req.method === 'POST') {
      const problem = startBatch(await readJson(req));
      if (problem) throw new LabRequestError('API_BAD_REQUEST', problem);
      return json(res, 202, { ok: true });
    }
    if (path === '/' || path === '/index.html' || path.startsWith('/assets/')) {
      const file = files.get(path === '/' ? '/index.html' : path);
      if (file) {
        res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
        res.end(file.body);
        return;
      }
    }
    return proxy(req, res);
  }

  /** Everything else goes to the first running node: the dashboard's other pages show it. */
  function proxy(req: IncomingMessage, res: ServerResponse): void {
    const node = lab && [...lab.nodes.values()].find((n) => n.state === 'running');
    if (!node) {
      // NOTE: a lab's code, not CLIENT_UNREACHABLE: the page then says what to do (start a new
      // lab, or restart a node) instead of "the node is not answering" in red.
      const error = lab
        ? new LabRequestError(
            'LAB_NODE_NOT_RUNNING',
            'every lab node is stopped or paused: restart or wake one on the Lab page',
          )
        : new LabRequestError(
            'LAB_NOT_STARTED',
            `no lab is running${batch && !batch.running ? ' (the batch closed its nodes)' : ''}: start a new one ("Start a new lab") on the Lab page`,
          );
      json(res, error.status, { error: { code: error.code, message: error.message } });
      return;
    }
    const target = new URL(req.url ?? '/', node.url);
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () =>
      json(res, 502, { error: { code: 'CLIENT_UNREACHABLE', message: 'the node did not answer' } }),
    );
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    lab: () => lab,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await lab?.close();
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY)
      throw new LabRequestError('API_BODY_TOO_LARGE', `the body is over ${MAX_BODY} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text || '{}');
  } catch {
    throw new LabRequestError('API_BAD_JSON', 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LabRequestError('API_BAD_REQUEST', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}
