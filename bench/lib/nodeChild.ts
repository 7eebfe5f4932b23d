/**
 * bench/lib/p2pNode.ts processes, driven from a benchmark: start one, send it commands, learn
 * when each tip arrived; and the file of blocks its `load` command reads.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Block, decodeBlock, encodeBlock, hashHeader } from '../../src/core/index.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field below
export type Answer = any;

/** A bench/lib/p2pNode.ts process: its URL, the moment each tip arrived, and its commands. */
export interface NodeChild {
  readonly pid: number;
  readonly url: string;
  readonly tips: Map<string, bigint>;
  /** Resolves when the tip `hash` has arrived (at once if it has). */
  tipArrived(hash: string): Promise<bigint>;
  /** Resolves when transaction `id` has entered the mempool (at once if it has). */
  txArrived(id: string): Promise<bigint>;
  command(op: string, fields?: object): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * Starts bench/lib/p2pNode.ts under tsx, or `compiled`, the .js compileBenchChild made of it (or
 * bundleBenchChild's runner), on plain node (as the node runs); `env` is added to its environment.
 */
export async function startNode(
  options: { dataDir: string; peers?: string[]; tips?: boolean },
  compiled?: string,
  env: Record<string, string> = {},
  flags: readonly string[] = [],
): Promise<NodeChild> {
  const script = compiled ?? fileURLToPath(new URL('p2pNode.ts', import.meta.url));
  // Before the node's modules load, as `blockyard node` holds it (heldYoungGeneration.ts): beside
  // a compiled p2pNode.js (it imports it), not beside bundleBenchChild's runner; under tsx through
  // heldYoungGeneration.mjs, which its signature workers can load (that file says why).
  const held = join(
    dirname(script),
    compiled ? 'heldYoungGeneration.js' : 'heldYoungGeneration.mjs',
  );
  // e.g. BENCH_NODE_WRAP="valgrind --tool=callgrind --instr-atstart=no": the node runs under it.
  const wrap = (env.BENCH_NODE_WRAP ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(
    wrap[0] ?? process.execPath,
    // e.g. P2P_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the nodes.
    [
      ...(wrap.length > 0 ? [...wrap.slice(1), process.execPath] : []),
      ...(process.env.P2P_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...flags,
      ...(compiled ? [] : ['--import', 'tsx']),
      ...(existsSync(held) ? ['--import', pathToFileURL(held).href] : []),
      script,
      JSON.stringify(options),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const tips = new Map<string, bigint>();
  const tipWaiters = new Map<string, ((t: bigint) => void)[]>();
  const txs = new Map<string, bigint>();
  const txWaiters = new Map<string, ((t: bigint) => void)[]>();
  const answers = new Map<number, (answer: Answer) => void>();
  let ready: (url: string) => void = () => {};
  const url = new Promise<string>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`a bench node exited (${code})`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    // Not one of ours: what V8 itself prints (a node with BENCH_TRACE_GC=1), passed on.
    if (!line.startsWith('{')) return void process.stderr.write(`[node ${child.pid}] ${line}\n`);
    const message = JSON.parse(line) as Answer;
    if (message.type === 'ready') ready(message.url);
    else if (message.type === 'tip') {
      const t = BigInt(message.t);
      tips.set(message.hash, t);
      for (const resolve of tipWaiters.get(message.hash) ?? []) resolve(t);
      tipWaiters.delete(message.hash);
    } else if (message.type === 'tx') {
      const t = BigInt(message.t);
      txs.set(message.id, t);
      for (const resolve of txWaiters.get(message.id) ?? []) resolve(t);
      txWaiters.delete(message.id);
    } else if (message.type === 'done') {
      answers.get(message.id)?.(message);
      answers.delete(message.id);
    }
  });
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    url: await url,
    tips,
    tipArrived(hash) {
      const t = tips.get(hash);
      if (t !== undefined) return Promise.resolve(t);
      return new Promise((resolve) => {
        tipWaiters.set(hash, [...(tipWaiters.get(hash) ?? []), resolve]);
      });
    },
    txArrived(id) {
      const t = txs.get(id);
      if (t !== undefined) return Promise.resolve(t);
      return new Promise((resolve) => {
        txWaiters.set(id, [...(txWaiters.get(id) ?? []), resolve]);
      });
    },
    command(op, fields = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        answers.set(id, resolve);
        child.stdin!.write(`${JSON.stringify({ id, op, ...fields })}\n`);
      });
    },
    async close() {
      child.stdin!.end();
      await exited;
    },
  };
}

/** Writes `blocks` for p2pNode's `load`: each a u32 length and its bytes. Their total size. */
export function writeBlockFile(file: string, blocks: readonly Block[]): number {
  const encoded = blocks.map((block) => encodeBlock(block));
  writeFileSync(
    file,
    Buffer.concat(
      encoded.flatMap((bytes) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        return [length, bytes];
      }),
    ),
  );
  return encoded.reduce((n, bytes) => n + bytes.length, 0);
}

/**
 * The blocks of a file writeBlockFile made, decoded: each with its bytes (a buffer of its own) and
 * its header's hash, as a sync hands them to the chain.
 */
export function readBlockFile(
  file: string,
): { block: Block; bytes: Uint8Array; hash: Uint8Array }[] {
  const raw = readFileSync(file);
  const items: { block: Block; bytes: Uint8Array; hash: Uint8Array }[] = [];
  for (let at = 0; at < raw.length; ) {
    const length = raw.readUInt32BE(at);
    const bytes = new Uint8Array(raw.subarray(at + 4, at + 4 + length));
    const block = decodeBlock(bytes);
    if (!block.ok) throw new Error(`${file}: block ${items.length} does not decode`);
    items.push({ block: block.value, bytes, hash: hashHeader(block.value.header) });
    at += 4 + length;
  }
  return items;
}
