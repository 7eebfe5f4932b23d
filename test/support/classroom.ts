/**
 * A classroom on one machine: each node a real `blockyard node` process in its own network
 * namespace, on its own address at port 5000 with --host 0.0.0.0, all on one bridge, as
 * laptops on a school LAN. The test (or bench) talks to them from the host over a veth on the
 * same bridge. It can stop a laptop (SIGSTOP), kill it (-9), cut its link, or split the room in
 * two; every name (namespaces, links) carries a per-run prefix, and destroy() removes them all.
 *
 * A split is made without a firewall (these machines have none): each node is told a wrong MAC
 * address for every node of the other half, so what it sends them is dropped by the bridge
 * without an answer, as on a real network cut in two (calls time out; nothing is refused).
 *
 * Needs root and `ip netns` (CI runs as root); classroomUnavailable() says why not, if not.
 */
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/blockyard.js', import.meta.url));
export const PORT = 5000;
const TOKEN = 'classroom-operator-token';
let rooms = 0;
const live = new Set<Room>();

/** Why a classroom cannot be built here, or undefined if it can. */
export function classroomUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  const probe = `by${process.pid}probe`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `ip netns does not work here: ${added.stderr || added.error}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface NodeStart {
  /** Indexes of the nodes it names with --peers. */
  readonly peers?: readonly number[];
  readonly args?: readonly string[];
}

export interface Converged {
  readonly ms: number;
  readonly tip: string;
  readonly height: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the node's JSON, read field by field
type Json = any;

export class Room {
  readonly prefix: string;
  readonly dir: string;
  private readonly subnet: string;
  private readonly procs = new Map<number, ChildProcess>();
  private readonly split = new Map<number, number[]>();

  constructor(readonly size: number) {
    const n = ++rooms;
    this.prefix = `by${process.pid % 100_000}${String.fromCharCode(96 + n)}`;
    this.subnet = `10.${200 + (process.pid % 50)}.${(Math.floor(process.pid / 50) * 7 + n) % 250}`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.prefix}-`));
    live.add(this);
    const p = this.prefix;
    try {
      ip('netns', 'add', `${p}sw`);
      ip('-n', `${p}sw`, 'link', 'add', 'br0', 'type', 'bridge');
      ip('-n', `${p}sw`, 'link', 'set', 'br0', 'up');
      ip('link', 'add', `${p}h`, 'type', 'veth', 'peer', 'name', `${p}hs`);
      ip('link', 'set', `${p}hs`, 'netns', `${p}sw`);
      ip('-n', `${p}sw`, 'link', 'set', `${p}hs`, 'master', 'br0', 'up');
      ip('addr', 'add', `${this.subnet}.1/24`, 'dev', `${p}h`);
      ip('link', 'set', `${p}h`, 'up');
      for (let i = 0; i < size; i++) {
        const ns = this.ns(i);
        ip('netns', 'add', ns);
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('link', 'add', `${p}a${i}`, 'type', 'veth', 'peer', 'name', `${p}b${i}`);
        ip('link', 'set', `${p}a${i}`, 'netns', ns);
        ip('-n', ns, 'link', 'set', `${p}a${i}`, 'name', 'eth0');
        ip('-n', ns, 'addr', 'add', `${this.ip(i)}/24`, 'dev', 'eth0');
        ip('-n', ns, 'link', 'set', 'eth0', 'up');
        ip('link', 'set', `${p}b${i}`, 'netns', `${p}sw`);
        ip('-n', `${p}sw`, 'link', 'set', `${p}b${i}`, 'master', 'br0', 'up');
      }
    } catch (error) {
      this.destroy();
      throw error;
    }
  }

  ns(i: number): string {
    return `${this.prefix}n${i}`;
  }

  ip(i: number): string {
    return `${this.subnet}.${10 + i}`;
  }

  url(i: number): string {
    return `http://${this.ip(i)}:${PORT}`;
  }

  /** Starts node i (its data in the room's folder, kept across restarts); resolves once it answers. */
  async start(i: number, options: NodeStart = {}): Promise<void> {
    const args = [
      'netns',
      'exec',
      this.ns(i),
      process.execPath,
      bin,
      'node',
      '--host',
      '0.0.0.0',
      '-p',
      String(PORT),
      '--data-dir',
      join(this.dir, `node${i}`),
      '--miner-threads',
      '1',
      '--api-token',
      TOKEN,
      '--log-format',
      'json',
      ...(options.peers?.length
        ? ['--peers', options.peers.map((j) => this.url(j)).join(',')]
        : []),
      ...(options.args ?? []),
    ];
    const log = createWriteStream(join(this.dir, `node${i}.log`), { flags: 'a' });
    const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.procs.set(i, child);
    // NOTE: generous: a room of node processes starting at once on two busy cores is slow.
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`node ${i} exited ${child.exitCode}:\n${this.logTail(i)}`);
      if ((await this.info(i, 1_000)) !== undefined) return;
      if (Date.now() > deadline)
        throw new Error(`node ${i} did not answer in 180 s:\n${this.logTail(i)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  pid(i: number): number | undefined {
    return this.procs.get(i)?.pid;
  }

  /** Sends a signal to node i's process (SIGSTOP: the laptop sleeps; SIGKILL: it dies). */
  signal(i: number, signal: NodeJS.Signals): void {
    // The child is `ip netns exec`, which execs node: the same process.
    this.procs.get(i)?.kill(signal);
  }

  async kill(i: number): Promise<void> {
    const child = this.procs.get(i);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.procs.delete(i);
  }

  /** Node i's cable: its port on the switch goes down or up. */
  link(i: number, up: boolean): void {
    ip('-n', `${this.prefix}sw`, 'link', 'set', `${this.prefix}b${i}`, up ? 'up' : 'down');
  }

  /** Splits the room: nothing passes between `a` and `b` (each side told wrong MACs for the other). */
  splitRoom(a: readonly number[], b: readonly number[]): void {
    for (const [side, other] of [
      [a, b],
      [b, a],
    ] as const)
      for (const i of side) {
        for (const j of other)
          ip(
            '-n',
            this.ns(i),
            'neigh',
            'replace',
            this.ip(j),
            'lladdr',
            '02:00:00:00:00:01',
            'nud',
            'permanent',
            'dev',
            'eth0',
          );
        this.split.set(i, [...other]);
      }
  }

  heal(): void {
    for (const [i, others] of this.split)
      for (const j of others) ip('-n', this.ns(i), 'neigh', 'del', this.ip(j), 'dev', 'eth0');
    this.split.clear();
  }

  async call(i: number, path: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<Json> {
    const response = await fetch(`${this.url(i)}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        ...init.headers,
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.json();
    if (!response.ok)
      throw new Error(`${path} on node ${i}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  async info(i: number, timeoutMs = 2_000): Promise<Json | undefined> {
    try {
      return await this.call(i, '/api/info', {}, timeoutMs);
    } catch {
      return undefined;
    }
  }

  /** Mines one block on node i now; its hash. */
  async mine(i: number): Promise<string> {
    const block = await this.call(i, '/mine', { method: 'POST', body: '{}' }, 60_000);
    return block.hash;
  }

  /**
   * Mines one block on node i from inside its namespace (over its loopback), for a node the
   * host cannot reach: one whose cable is out.
   */
  mineInside(i: number): Promise<string> {
    const script = `fetch('http://127.0.0.1:${PORT}/mine').then((r) => r.json()).then((b) => console.log(b.hash), (e) => { console.error(e); process.exit(1); })`;
    return new Promise((resolve, reject) => {
      execFile(
        'ip',
        ['netns', 'exec', this.ns(i), process.execPath, '-e', script],
        (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
      );
    });
  }

  /** Resolves once every node in `nodes` has one tip, polling every 100 ms; how long it took. */
  async converge(nodes: readonly number[], boundMs: number): Promise<Converged> {
    const started = performance.now();
    let last: string[] = [];
    for (;;) {
      const infos = await Promise.all(nodes.map((i) => this.info(i)));
      last = infos.map(
        (info, k) =>
          `node ${nodes[k]}: ${info ? `${info.height} ${info.tip_hash.slice(0, 12)}` : 'no answer'}`,
      );
      const tips = new Set(infos.map((info) => info?.tip_hash));
      const first = infos[0];
      if (tips.size === 1 && first)
        return {
          ms: Math.round(performance.now() - started),
          tip: first.tip_hash,
          height: first.height,
        };
      if (performance.now() - started > boundMs)
        throw new Error(`no single tip within ${boundMs} ms:\n  ${last.join('\n  ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every ban any of `nodes` holds, as "node i bans url (reason)". */
  async bans(nodes: readonly number[]): Promise<string[]> {
    const lists = await Promise.all(nodes.map((i) => this.call(i, '/nodes/get')));
    return lists.flatMap((list, k) =>
      (list.peers as Json[])
        .filter((p) => p.banned)
        .map((p) => `node ${nodes[k]} bans ${p.url} (${p.ban_reason})`),
    );
  }

  logTail(i: number, lines = 30): string {
    try {
      return readFileSync(join(this.dir, `node${i}.log`), 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Kills every node (a stopped one is continued first) and removes every namespace and link. */
  destroy(): void {
    for (const child of this.procs.values()) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    this.procs.clear();
    for (let i = 0; i < this.size; i++) spawnSync('ip', ['netns', 'del', this.ns(i)]);
    spawnSync('ip', ['netns', 'del', `${this.prefix}sw`]);
    spawnSync('ip', ['link', 'del', `${this.prefix}h`]);
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

// Whatever happens to the test process, nothing of a room outlives it.
process.once('exit', () => {
  for (const room of live) room.destroy();
});
