/**
 * `blockyard devnet`: a network of nodes on this machine, one process each, until Ctrl-C.
 *
 * Node i listens on port + i, keeps its chain in <dir>/node<i>, and is started with --peers
 * naming every node before it. Introductions go both ways (hello), so the nodes form a full
 * mesh as they come up. They are started one after another, each once the one before answers
 * over HTTP, because a node does not keep a peer that does not answer when it starts. The first
 * --miners nodes mine, sharing the cores.
 *
 * The children run the same entry script as this process, with the same Node flags: that is
 * bin/blockyard.js (the compiled dist/) for users, and a tsx entry on src/ in tests. Each runs
 * in its own process group, so a terminal's Ctrl-C reaches only this process, which forwards
 * the signal once to every node, waits for them all to exit, and then exits itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const MAX_NODES = 32;

export const devnetUsage = `usage: blockyard devnet [options]

Runs a network of nodes on this machine, one process each, wired to each other, until Ctrl-C.

  -n, --nodes <n>           how many nodes (default 3, at most ${MAX_NODES})
  -p, --port <n>            port of the first node; node i listens on port + i (default 5000)
      --host <addr>         address the nodes listen on (default 127.0.0.1)
      --dir <dir>           the cluster's folder: node i keeps its chain in <dir>/node<i>
                            (default ~/.blockyard/devnet-cluster; kept across runs)
      --network <name>      devnet (default: difficulty retargets toward 5 s blocks) or tutorial
      --miners <k>          the first k nodes mine (default 1; 0 for none)
      --miner-threads <n>   threads per mining node (default: the cores less one, shared
                            among the miners, at least 1)
      --reset               delete the nodes' chains in <dir> first
      --log-format <f>      the nodes' logs: pretty (default) or json
`;

/** How long a node may take to answer after it starts, and to exit after a signal. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const COLORS = [36, 33, 35, 32, 34, 31, 96, 93, 95, 92, 94, 91];

interface Member {
  readonly name: string;
  readonly url: string;
  readonly mining: boolean;
  readonly child: ChildProcess;
  /** Resolves once the process has exited and its output is read to the end. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
  /** Answered over HTTP: started, with its signal handlers in place. */
  ready: boolean;
}

export interface DevnetOptions {
  /**
   * How to run `blockyard` in a child: a program and the arguments before the command. Default:
   * this process's own Node, flags and entry script.
   */
  readonly command?: readonly [string, ...string[]];
}

/** The Node, flags and script this process runs, minus debugger flags (a port each). */
function ownCommand(): [string, ...string[]] {
  const flags = process.execArgv.filter((flag) => !/^--(inspect|debug)/.test(flag));
  const entry =
    process.argv[1] ?? fileURLToPath(new URL('../../bin/blockyard.js', import.meta.url));
  return [process.execPath, ...flags, entry];
}

/** Whether `port` can be listened on at `host`: undefined if so, else the reason. */
function portProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(
        error.code === 'EADDRINUSE'
          ? `port ${port} is in use (another node, or another devnet?)`
          : error.code === 'EACCES'
            ? `port ${port} needs privileges; use a port above 1023`
            : `cannot listen on ${host}:${port} (${error.code ?? error.message})`,
      );
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Resolves when `url` answers /api/info, or rejects when `member` exits or time runs out. */
async function waitUntilServing(member: Member, deadline: number): Promise<void> {
  while (!member.exited) {
    try {
      const response = await fetch(`${member.url}/api/info`, {
        signal: AbortSignal.timeout(2_000),
      });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${member.name} did not answer within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${member.name} exited while starting`);
}

export async function runDevnet(
  argv: readonly string[],
  options: DevnetOptions = {},
): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      nodes: { type: 'string', short: 'n', default: '3' },
      port: { type: 'string', short: 'p', default: '5000' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string', default: join(homedir(), '.blockyard', 'devnet-cluster') },
      network: { type: 'string', default: 'devnet' },
      miners: { type: 'string', default: '1' },
      'miner-threads': { type: 'string' },
      reset: { type: 'boolean', default: false },
      'log-format': { type: 'string', default: 'pretty' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(devnetUsage);
    return 0;
  }
  const count = Number(values.nodes);
  const basePort = Number(values.port);
  const miners = Number(values.miners);
  const cores = availableParallelism();
  const threads =
    values['miner-threads'] === undefined
      ? Math.max(1, Math.floor((cores - 1) / Math.max(1, miners)))
      : Number(values['miner-threads']);
  const format = values['log-format'];
  const problem =
    !Number.isInteger(count) || count < 1 || count > MAX_NODES
      ? `--nodes must be a number from 1 to ${MAX_NODES}, not "${values.nodes}"`
      : !Number.isInteger(basePort) || basePort < 1 || basePort + count - 1 > 65535
        ? `--port must be a number from 1 to ${65536 - count} for ${count} nodes, not "${values.port}"`
        : !Number.isInteger(miners) || miners < 0 || miners > count
          ? `--miners must be a number from 0 to ${count}, not "${values.miners}"`
          : !(Number.isInteger(threads) && threads >= 1 && threads <= 256)
            ? `--miner-threads must be a number from 1 to 256, not "${values['miner-threads']}"`
            : values.network !== 'devnet' && values.network !== 'tutorial'
              ? `--network must be devnet or tutorial, not "${values.network}"`
              : format !== 'pretty' && format !== 'json'
                ? `--log-format must be pretty or json, not "${format}"`
                : undefined;
  if (problem) {
    process.stderr.write(`blockyard devnet: ${problem}\n\n${devnetUsage}`);
    return 2;
  }

  const host = values.host;
  // A node listening on every address is reached on loopback from this machine.
  const reachHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const ports = Array.from({ length: count }, (_, i) => basePort + i);
  const problems = (await Promise.all(ports.map((port) => portProblem(host, port)))).filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length > 0) {
    process.stderr.write(
      `blockyard devnet: ${problems.join('; ')}.\n` +
        `  Stop what uses ${problems.length === 1 ? 'it' : 'them'}, or start the devnet on other ports, e.g. --port ${basePort + 100}.\n`,
    );
    return 1;
  }

  const dir = values.dir;
  const names = ports.map((_, i) => `node${i}`);
  if (values.reset) {
    for (const name of names) rmSync(join(dir, name), { recursive: true, force: true });
  }
  const [program, ...prefix] = options.command ?? ownCommand();
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const width = Math.max(...names.map((n) => n.length));
  const label = (i: number) => {
    const text = names[i]!.padEnd(width);
    return color ? `\x1b[${COLORS[i % COLORS.length]}m${text}\x1b[0m` : text;
  };
  const say = (line: string) => process.stdout.write(`${line}\n`);

  say(
    `blockyard devnet: ${count} node(s) on the ${values.network} network, ports ${basePort}–${basePort + count - 1}, data in ${dir}`,
  );

  const members: Member[] = [];
  let stopping: Promise<number> | undefined;
  let unexpected: string | undefined;
  let wake = () => {};
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });

  /** Forwards `signal` to every node still running, waits for them, and reports how they ended. */
  const stop = (signal: NodeJS.Signals): Promise<number> => {
    stopping ??= (async () => {
      const running = members.filter((m) => !m.exited);
      if (running.length > 0) say(`devnet: stopping ${running.length} node(s) (${signal})…`);
      for (const member of running) member.child.kill(signal);
      let failed = unexpected !== undefined;
      const outcomes = await Promise.all(
        members.map(async (member) => {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<'late'>((resolve) => {
            timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
          });
          const outcome = await Promise.race([member.closed, late]);
          clearTimeout(timer);
          if (outcome === 'late') {
            member.child.kill('SIGKILL');
            await member.closed;
            return {
              clean: false,
              text: `${member.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killed`,
            };
          }
          const how = outcome.code === null ? `signal ${outcome.signal}` : `code ${outcome.code}`;
          // A node still loading has no handler yet: the signal ends it at once, as it should.
          const clean = outcome.code === 0 || (!member.ready && outcome.signal === signal);
          return { clean, text: `${member.name} (pid ${member.child.pid}) exited with ${how}` };
        }),
      );
      for (const outcome of outcomes) {
        if (!outcome.clean) failed = true;
        say(`devnet: ${outcome.text}`);
      }
      say(failed ? 'devnet: stopped, not cleanly' : 'devnet: all nodes stopped');
      return failed ? 1 : 0;
    })();
    return stopping;
  };

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      void stop(signal === 'SIGHUP' ? 'SIGTERM' : signal);
      wake();
    } else if (signals === 2) {
      say('devnet: still stopping; once more kills the nodes at once');
    } else {
      for (const member of members) if (!member.exited) member.child.kill('SIGKILL');
    }
  };
  const handled: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of handled) process.on(signal, onSignal);
  // Should this process end some other way (an exception), the nodes end with it.
  const killAll = () => {
    for (const member of members) if (!member.exited) member.child.kill('SIGKILL');
  };
  process.on('exit', killAll);

  try {
    for (const [i, port] of ports.entries()) {
      if (stopping) break;
      const name = names[i]!;
      const url = `http://${reachHost}:${port}`;
      const dataDir = join(dir, name);
      const mining = i < miners;
      const args = [
        ...prefix,
        'node',
        '--port',
        String(port),
        '--host',
        host,
        '--data-dir',
        dataDir,
        '--network',
        values.network,
        '--log-format',
        format,
        ...(i > 0 ? ['--peers', members.map((m) => m.url).join(',')] : []),
        // A node that does not mine keeps one (idle) miner thread, for /mine on demand.
        ...(mining ? ['--mine', '--miner-threads', String(threads)] : ['--miner-threads', '1']),
      ];
      const child = spawn(program!, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a terminal's Ctrl-C goes to this process only, which forwards it.
        detached: process.platform !== 'win32',
      });
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve) => {
          child.once('error', (error) => {
            say(`devnet: ${name} could not start: ${error.message}`);
            resolve({ code: 127, signal: null });
          });
          child.once('close', (code, signal) => resolve({ code, signal }));
        },
      );
      const member: Member = { name, url, mining, child, closed, exited: false, ready: false };
      void closed.then(({ code, signal }) => {
        member.exited = true;
        if (!stopping) {
          unexpected = `${name} exited with ${code === null ? `signal ${signal}` : `code ${code}`}`;
          wake();
        }
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on(
          'line',
          (line) => {
            if (line.trim()) process.stdout.write(`${label(i)} │ ${line}\n`);
          },
        );
      }
      members.push(member);
      await waitUntilServing(member, Date.now() + START_TIMEOUT_MS);
      member.ready = true;
    }
  } catch (error) {
    if (!stopping) unexpected ??= (error as Error).message;
  }

  if (!stopping && unexpected === undefined) {
    say('');
    say(`  blockyard devnet: ${count} node(s) on the ${values.network} network`);
    for (const [i, member] of members.entries()) {
      const role = member.mining ? `mining on ${threads} thread(s)` : 'not mining';
      say(`    ${label(i)}  ${`${member.url}/`.padEnd(28)} pid ${member.child.pid}  ${role}`);
    }
    say(`  data          ${dir}`);
    say(
      `  Open a URL in a browser for that node's home page (its dashboard); API docs at <url>/docs.`,
    );
    say('  Ctrl-C stops them all.');
    say('');
    // Runs until a signal, or until a node exits on its own.
    await woken;
  }
  if (unexpected !== undefined && !stopping) say(`devnet: ${unexpected}; stopping the others`);
  const code = await stop('SIGTERM');
  for (const signal of handled) process.off(signal, onSignal);
  process.off('exit', killAll);
  return unexpected !== undefined ? 1 : code;
}
