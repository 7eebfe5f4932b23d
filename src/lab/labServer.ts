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
import { runScenario } from './runScenario.js';
import { scenarios } from './scenarios/index.js';
import { runSelfishBatch } from './selfishBatch.js';
import type { LabEvent } from './timeline.js';

const MAX_BODY = 64 * 1024;

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
  rate: number;
}): Promise<LabServer> {
  let lab: Lab | undefined = options.lab;
  /** The timeline shown: the current lab's, or the last scenario's once its nodes are gone. */
  let events: readonly LabEvent[] = lab.timeline.events;
  let names = lab.names;
  let run: ScenarioRun | undefined;
  let batch: BatchRun | undefined;
  const root = findWebRoot();
  const files = root ? loadWebFiles(root) : new Map();

  const state = async (since: number) => {
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
        };
      }),
    );
    return {
      nodes,
      total: events.length,
      events: events.slice(since),
      scenario: run ?? null,
      batch: batch ?? null,
    };
  };

  const control = async (body: Record<string, unknown>): Promise<void> => {
    const action = String(body.action);
    const node = String(body.node ?? '');
    if (action === 'new_lab') {
      await lab?.close();
      lab = await Lab.start({
        nodes: ['node0', 'node1', 'node2'],
        ...(options.command ? { command: options.command } : {}),
      });
      events = lab.timeline.events;
      names = lab.names;
      for (const n of names)
        await lab.setHashRate(n, Math.round(options.rate / names.length), true);
      return;
    }
    if (!lab) throw new Error('no lab is running: start a new one');
    switch (action) {
      case 'hash_rate':
        return lab.setHashRate(node, body.rate === null ? null : Number(body.rate));
      case 'mining':
        return lab.setMining(node, body.on === true);
      case 'cut':
        return lab.setLink(String(body.a), String(body.b), { cut: true });
      case 'restore':
        return lab.setLink(String(body.a), String(body.b), { cut: false });
      case 'delay':
        return lab.setLink(String(body.a), String(body.b), { delay_ms: Number(body.ms) });
      case 'partition':
        return lab.partition(body.left as string[], body.right as string[]);
      case 'heal':
        return lab.heal();
      case 'stop':
        return lab.stopNode(node);
      case 'pause':
        return lab.pauseNode(node);
      case 'resume':
        return lab.resumeNode(node);
      case 'restart':
        return lab.restartNode(node);
      default:
        throw new Error(`no lab action "${action}"`);
    }
  };

  const startScenario = async (body: Record<string, unknown>) => {
    const name = String(body.name);
    if (!scenarios[name]) throw new Error(`no scenario "${name}"`);
    if (run?.running) throw new Error(`${run.name} is still running`);
    if (batch?.running) throw new Error('a batch is still running');
    await lab?.close();
    lab = undefined;
    const current: ScenarioRun = { name, running: true };
    run = current;
    void runScenario(name, {
      k: Number(body.k ?? 0),
      ...(body.q === undefined ? {} : { q: Number(body.q) }),
      ...(options.command ? { command: options.command } : {}),
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
        lab = undefined;
      });
  };

  /** Starts a batch on its own nodes (the lab shown is closed first); a problem, or undefined. */
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
    if (run?.running) return `${run.name} is still running`;
    if (batch?.running) return 'a batch is still running';
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
    void handle(req, res).catch((error: Error) => json(res, 500, { error: error.message }));
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
      return problem ? json(res, 400, { error: problem }) : json(res, 202, { ok: true });
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
      json(res, 503, { error: { code: 'CLIENT_UNREACHABLE', message: 'no lab node is running' } });
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
    if (text.length > MAX_BODY) throw new Error('the body is too large');
  }
  const value = JSON.parse(text || '{}') as unknown;
  if (typeof value !== 'object' || value === null)
    throw new Error('the body must be a JSON object');
  return value as Record<string, unknown>;
}
