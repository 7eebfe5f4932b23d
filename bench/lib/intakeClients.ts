/**
 * bench/intake.ts's node in its child process (bench/lib/intakeNode.ts) and its clients: each
 * sender's requests sent in order on its own keep-alive connection, every answer checked, and
 * refusals counted by code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileBenchChild } from './compiledNode.js';
import { type RawAnswer, RawHttpConnection } from './rawHttp.js';

/** Transfers in one POST /api/tx/batch. */
export const BATCH_SIZE = 100;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** The node in its child process: its URL, and what it spent between two calls of stats(). */
export interface NodeChild {
  readonly url: string;
  /** host:port, for the Host header. */
  readonly host: string;
  connect(): Promise<RawHttpConnection>;
  stats(): Promise<{
    cpuMs: number;
    mainCpuMs: number;
    elu: number;
    mempool: number;
    /** CPU (ms) by thread name (intakeNode.ts threadCpuMs). */
    threadsMs: Record<string, number>;
    /** Voluntary context switches (sleeps) by thread name (intakeNode.ts threadSleeps). */
    threadSleeps: Record<string, number>;
    /** Young and full garbage collections over the run; the young generation's size at its end. */
    gc?: { young: number; full: number; youngMb: number };
    /** Signatures its worker threads answered for (bench/lib/onWorkers.ts). */
    onWorkers?: number;
  }>;
  close(): Promise<void>;
}

/**
 * bench/lib/intakeNode.ts compiled by tsc (compiledNode.ts), to run on plain node as users run
 * dist/: its path. INTAKE_NODE_TSX=1 keeps it on tsx (and this returns undefined).
 */
export function compileIntakeNode(): string | undefined {
  if (process.env.INTAKE_NODE_TSX === '1') return undefined;
  return compileBenchChild('bench/lib/intakeNode.ts', 'blockyard-bench-intake-node');
}

/**
 * The node in its child process: `compiled` (compileIntakeNode's .js) on plain node, or
 * intakeNode.ts under tsx if undefined.
 */
export async function startNodeChild(
  compiled: string | undefined,
  mempoolMaxCount: number,
  journal: 'memory' | 'group' | 'each' | 'bare' | 'http' | 'net' = 'memory',
): Promise<NodeChild> {
  const script = compiled ?? fileURLToPath(new URL('intakeNode.ts', import.meta.url));
  // V8's young generation held before the node's modules load, as `blockyard node` holds it
  // (heldYoungGeneration.ts, compiled beside intakeNode.js, which imports it).
  const held = join(
    dirname(script),
    compiled ? 'heldYoungGeneration.js' : 'heldYoungGeneration.mjs',
  );
  const child: ChildProcess = spawn(
    process.execPath,
    // e.g. INTAKE_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the node.
    [
      ...(process.env.INTAKE_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...(compiled === undefined ? ['--import', 'tsx'] : []),
      '--import',
      pathToFileURL(held).href,
      script,
      String(mempoolMaxCount),
      journal,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the node exited (${code})`));
      child.once('exit', exited);
      waiting.push((line) => {
        child.off('exit', exited);
        resolve(line);
      });
    });
  const { url } = JSON.parse(await next()) as { url: string };
  const { hostname, port, host } = new URL(url);
  return {
    url,
    host,
    connect: () => RawHttpConnection.open(hostname, Number(port)),
    async stats() {
      const line = next();
      child.stdin!.write('\n');
      return JSON.parse(await line);
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

export type Answer = RawAnswer;

/** Refusals by error code (or HTTP status), with one message of each as an example. */
export class Failures {
  readonly byCode = new Map<string, { count: number; example: string }>();
  total = 0;

  add(code: string, message: string, count = 1): void {
    this.total += count;
    const seen = this.byCode.get(code);
    if (seen) seen.count += count;
    else this.byCode.set(code, { count, example: message });
  }
}

export interface ModeResult {
  readonly sent: number;
  readonly accepted: number;
  readonly seconds: number;
  readonly failures: Failures;
  /** The node process's CPU (ms) and event-loop utilisation over the run; the bench's CPU (ms). */
  readonly nodeCpuMs: number;
  /** Its main thread's CPU (ms). */
  readonly mainCpuMs: number;
  readonly nodeElu: number;
  readonly benchCpuMs: number;
  /** The node's CPU (ms) by thread name. */
  readonly threadsMs: Readonly<Record<string, number>>;
  /** The node's voluntary context switches (each a sleep, then a wake-up) by thread name. */
  readonly threadSleeps: Readonly<Record<string, number>>;
  /** The node's garbage collections over the run (young, full), its young generation's size at the end (MB). */
  readonly gc?: { young: number; full: number; youngMb: number };
  /** Signatures the node's worker threads answered for over the run (undefined: not reported). */
  readonly onWorkers?: number | undefined;
}

/**
 * One client per sender, all at once; each sends its requests (pre-encoded) in order on its own
 * connection, one in flight. `check` reads an answer and returns how many transfers it accepted.
 */
export async function runClients(
  node: NodeChild,
  requestsBySender: readonly (readonly Buffer[])[],
  transfersPerRequest: number,
  check: (answer: Answer, failures: Failures) => number,
): Promise<ModeResult> {
  const failures = new Failures();
  // Connections are opened, and used once, before the clock starts.
  const connections = await Promise.all(requestsBySender.map(() => node.connect()));
  const info = Buffer.from(`GET /api/info HTTP/1.1\r\nHost: ${node.host}\r\n\r\n`);
  await Promise.all(connections.map((c) => c.request(info)));
  await node.stats();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let accepted = 0;
  await Promise.all(
    requestsBySender.map(async (requests, i) => {
      for (const bytes of requests) {
        try {
          const answer = await connections[i]!.request(bytes);
          accepted += check(answer, failures); // NOTE: after the await, or clients overwrite it
        } catch (error) {
          failures.add('NETWORK', (error as Error).message, transfersPerRequest);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const stats = await node.stats();
  for (const connection of connections) connection.close();
  const sent =
    requestsBySender.reduce((n, requests) => n + requests.length, 0) * transfersPerRequest;
  return {
    sent,
    accepted,
    seconds,
    failures,
    nodeCpuMs: stats.cpuMs,
    mainCpuMs: stats.mainCpuMs,
    nodeElu: stats.elu,
    threadsMs: stats.threadsMs,
    threadSleeps: stats.threadSleeps ?? {},
    ...(stats.gc ? { gc: stats.gc } : {}),
    onWorkers: stats.onWorkers,
    benchCpuMs: (used.user + used.system) / 1000,
  };
}

/** POST /api/tx answers 201 {id, status: "pending"} for an accepted transfer. */
export function checkSingle(answer: Answer, failures: Failures): number {
  if (answer.status === 201) return 1;
  const code = errorCode(answer);
  failures.add(code, answer.body.slice(0, 200));
  return 0;
}

/** POST /api/tx/batch answers 200 {accepted, results: [{id} | {error}]}. */
export function checkBatch(answer: Answer, failures: Failures): number {
  if (answer.status !== 200) {
    failures.add(errorCode(answer), answer.body.slice(0, 200), BATCH_SIZE);
    return 0;
  }
  const body = JSON.parse(answer.body) as {
    accepted: number;
    results: ({ id: string } | { error: { code: string; message: string } })[];
  };
  for (const result of body.results) {
    if ('error' in result) failures.add(result.error.code, result.error.message);
  }
  return body.accepted;
}

function errorCode(answer: Answer): string {
  try {
    return (JSON.parse(answer.body) as { error: { code: string } }).error.code;
  } catch {
    return `HTTP ${answer.status}`;
  }
}

export function printFailures(mode: string, result: ModeResult): void {
  if (result.failures.total === 0) {
    out(`${mode}: all ${result.sent.toLocaleString('en-US')} transfers accepted`);
    return;
  }
  out(
    `${mode}: ${result.failures.total.toLocaleString('en-US')} of ${result.sent.toLocaleString('en-US')} transfers REFUSED:`,
  );
  for (const [code, { count, example }] of result.failures.byCode) {
    out(`  ${code} × ${count}: ${example}`);
  }
}
