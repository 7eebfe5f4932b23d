/**
 * Runs the real `blockyard` command in a child process, from src/ through tsx (as
 * test/integration/devnet.test.ts does), against nodes the test starts in its own process. The
 * child's wallets live in a temp folder (BLOCKYARD_HOME): a test never touches the real home.
 *
 * Nothing here blocks the test's event loop (the node in this process must keep answering), and
 * every wait is bounded.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const entry = fileURLToPath(new URL('../../support/blockyardFromSource.ts', import.meta.url));
const command = [process.execPath, '--import', 'tsx', entry];

export const PASSWORD = 'correct horse battery';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  // biome-ignore lint/suspicious/noExplicitAny: checked field by field in the tests
  readonly json: any;
}

export interface CliOptions {
  /** Environment on top of the test's own (BLOCKYARD_PASSWORD etc.); undefined removes a name. */
  readonly env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (always closed: a child never waits on the test). */
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** A temp BLOCKYARD_HOME, the env that points the CLI at it and at `nodeUrl`, and its removal. */
export function cliHome(nodeUrl?: string) {
  const home = mkdtempSync(join(tmpdir(), 'blockyard-cli-'));
  return {
    home,
    walletDir: join(home, 'wallets'),
    env: {
      BLOCKYARD_HOME: home,
      BLOCKYARD_PASSWORD: PASSWORD,
      ...(nodeUrl ? { BLOCKYARD_NODE: nodeUrl } : {}),
    } as Record<string, string | undefined>,
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  // The test's own environment must not choose the wallet, node or password.
  for (const name of ['BLOCKYARD_HOME', 'BLOCKYARD_NODE', 'BLOCKYARD_PASSWORD']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Starts `blockyard <args>`; lines of its stdout and stderr are collected as they come. */
export function startCli(args: readonly string[], options: CliOptions = {}) {
  const child: ChildProcess = spawn(command[0]!, [...command.slice(1), ...args], {
    cwd: repoRoot,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.end(options.input ?? '');
  let stdout = '';
  let stderr = '';
  const stdoutLines: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => stdoutLines.push(line));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const done = new Promise<CliRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`blockyard ${args.join(' ')} ran over ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
  return {
    child,
    done,
    /** Resolves with the first stdout line matching `pattern` (or fails when the child ends). */
    async line(pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
      const deadline = Date.now() + ms;
      for (;;) {
        for (const l of stdoutLines) {
          const m = pattern.exec(l);
          if (m) return m;
        }
        if (child.exitCode !== null)
          throw new Error(`exited before ${pattern}:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`no line ${pattern} in ${ms} ms:\n${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** Runs `blockyard <args>` to the end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

const PROMPT = /(Password for wallet "[^"]*"|New password[^:\r\n]*|Type it again): /g;

/** util-linux `script`, which runs a command in a new pseudo-terminal. */
export const hasScript =
  process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

/**
 * Runs `blockyard <args>` in a real pseudo-terminal (through `script`), answering each prompt
 * that appears with the next of `answers`, as a person typing would. Returns everything the
 * terminal showed.
 */
export function runInTerminal(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; answers?: readonly string[] } = {},
): Promise<{ code: number | null; screen: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const line = [...command, ...args].map(quote).join(' ');
  const child = spawn(
    'script',
    ['--quiet', '--flush', '--return', '--command', line, '/dev/null'],
    {
      cwd: repoRoot,
      env: childEnv({ ...options.env, COLUMNS: '200', LINES: '50' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const answers = [...(options.answers ?? [])];
  let screen = '';
  let answered = 0;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    // Each prompt is answered once, after it is shown, as a person would.
    const shown = (screen.match(PROMPT) ?? []).length;
    while (answered < shown && answers.length > 0) {
      answered++;
      child.stdin!.write(`${answers.shift()}\r`);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`in a terminal, blockyard ${args.join(' ')} ran over 60 s:\n${screen}`));
    }, 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
