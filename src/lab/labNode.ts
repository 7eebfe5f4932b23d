/**
 * One node of the lab: a real `blockyard node --lab` process on the lab network, on a free port
 * (the port it got is kept across restarts, so its peers still know it by the same URL). The
 * lab stops it (SIGTERM), pauses it (SIGSTOP: a sleeping laptop), resumes it (SIGCONT), kills it
 * (SIGKILL) and starts it again on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export type NodeState = 'starting' | 'running' | 'paused' | 'stopped';

export interface LabNodeOptions {
  readonly name: string;
  readonly dir: string;
  /** How to run `blockyard`: a program and the arguments before the command. */
  readonly command: readonly [string, ...string[]];
  /** Where the rewards of its blocks go (the scenario's actor), else the node's own address. */
  readonly minerAddress?: string | undefined;
  /** Lines the node writes (its JSON log), for `blockyard lab --verbose`. */
  readonly onLine?: ((line: string) => void) | undefined;
}

/** The Node, flags and script this process runs, minus debugger flags (a port each). */
export function ownCommand(): [string, ...string[]] {
  const flags = process.execArgv.filter((flag) => !/^--(inspect|debug)/.test(flag));
  const entry =
    process.argv[1] ?? fileURLToPath(new URL('../../bin/blockyard.js', import.meta.url));
  return [process.execPath, ...flags, entry];
}

export class LabNode {
  url = '';
  state: NodeState = 'stopped';
  private port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly options: LabNodeOptions) {}

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process; resolves with its URL once it serves. `peers`: URLs to join. */
  async start(peers: readonly string[] = []): Promise<string> {
    if (this.state !== 'stopped') return this.url;
    const [program, ...prefix] = this.options.command;
    const args = [
      ...prefix,
      'node',
      '--lab',
      '--network',
      'lab',
      '--host',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--data-dir',
      join(this.options.dir, this.name),
      '--log-format',
      'json',
      '--miner-threads',
      '1',
      ...(peers.length > 0 ? ['--peers', peers.join(',')] : []),
      ...(this.options.minerAddress ? ['--miner-address', this.options.minerAddress] : []),
    ];
    this.state = 'starting';
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', () => {
        if (this.child === child) {
          this.state = 'stopped';
          this.child = undefined;
        }
        resolve();
      });
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited while starting (code ${code})`));
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on(
          'line',
          (line) => {
            // The banner's "home page  http://127.0.0.1:PORT/": the node serves from then on.
            const home = /home page\s+(http:\/\/\S+?)\/?$/.exec(line);
            if (home) {
              clearTimeout(timer);
              resolve(home[1]!);
            }
            this.options.onLine?.(line);
          },
        );
      }
    });
    this.url = url;
    this.port = Number(new URL(url).port);
    this.state = 'running';
    return url;
  }

  /** SIGTERM, and SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.state === 'paused') child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** kill -9: no chance to close anything (the node must recover at its next start). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  pause(): void {
    if (this.state !== 'running' || !this.child) return;
    this.child.kill('SIGSTOP');
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused' || !this.child) return;
    this.child.kill('SIGCONT');
    this.state = 'running';
  }
}
