/**
 * The dvf tutorial's node ("Learn Blockchains by Building One", the listing in
 * shared/seeds/004_*.txt), run beside ours as a reference. Its code is not part of this project:
 * it is cut out of the seed at run time into a temp directory and imported by a small launcher
 * written here, which fills its chain (through its own Blockchain methods, or its own /mine
 * route) and serves its Flask app on a free port of 127.0.0.1 with werkzeug, as app.run would.
 * Needs python3 with flask and requests; otherwise the benchmarks say so and use their floors.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

/** What the launcher does before serving. */
export interface DvfFill {
  /** Blocks added with Blockchain.new_block (arbitrary proofs: /chain does not check them). */
  readonly blocks?: number;
  /** Transactions in each of those blocks (Blockchain.new_transaction, 32-hex names). */
  readonly txsPerBlock?: number;
  /** Blocks mined through the node's own GET /mine (real proof of work). */
  readonly mined?: number;
}

export interface DvfNode {
  readonly url: string;
  readonly pid: number;
  close(): Promise<void>;
}

const LAUNCHER = `
import importlib.util, json, sys
from werkzeug.serving import make_server
spec = importlib.util.spec_from_file_location('dvf_blockchain', sys.argv[1])
dvf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dvf)
fill = json.loads(sys.argv[2])
chain = dvf.blockchain
for b in range(fill.get('blocks', 0)):
    for t in range(fill.get('txsPerBlock', 0)):
        chain.new_transaction(f'{b * 1000 + t:032x}', f'{b * 1000 + t + 1:032x}', 5)
    chain.new_block(100 + b, chain.hash(chain.last_block))
client = dvf.app.test_client()
for m in range(fill.get('mined', 0)):
    client.get('/mine')
server = make_server('127.0.0.1', 0, dvf.app, threaded=True)
print(json.dumps({'url': f'http://127.0.0.1:{server.port}'}), flush=True)
sys.stdout = sys.stderr
server.serve_forever()
`;

/** Why the reference cannot run here, or undefined if it can. */
export function dvfUnavailable(): string | undefined {
  const seed = seedFile();
  if (!seed) return `no dvf listing in ${SEEDS}`;
  const probe = spawnSync('python3', ['-c', 'import flask, requests, werkzeug'], {
    stdio: 'ignore',
  });
  if (probe.error || probe.status !== 0) return 'python3 with flask and requests is not available';
  return undefined;
}

function seedFile(): string | undefined {
  if (!existsSync(SEEDS)) return undefined;
  const name = readdirSync(SEEDS).find((file) => file.startsWith('004_'));
  return name && join(SEEDS, name);
}

/** The Python listing of the seed: from its first import to its `__main__` block's last line. */
function extractListing(seed: string): string {
  const lines = readFileSync(seed, 'utf8').split('\n');
  const first = lines.findIndex((line) => line.startsWith('import '));
  const run = lines.findIndex((line) => line.includes('app.run('));
  if (first < 0 || run < first) throw new Error(`no Python listing found in ${seed}`);
  return `${lines.slice(first, run + 1).join('\n')}\n`;
}

/** Starts the dvf node in `dir` with `fill`; resolves once it listens. */
export async function startDvfNode(dir: string, fill: DvfFill): Promise<DvfNode> {
  const seed = seedFile();
  if (!seed) throw new Error('no dvf listing');
  const module = join(dir, 'dvf_blockchain.py');
  const launcher = join(dir, 'dvf_launcher.py');
  writeFileSync(module, extractListing(seed));
  writeFileSync(launcher, LAUNCHER);
  const child: ChildProcess = spawn('python3', [launcher, module, JSON.stringify(fill)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the dvf node exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return {
    url,
    pid: child.pid!,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
