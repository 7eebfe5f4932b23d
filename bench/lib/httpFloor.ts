/**
 * What HTTP alone costs a single POST /api/tx {hex} on this machine, three ways alternated in one
 * window (a round each, in turn): a bare fastify route, bare node:http and a plain TCP socket
 * (intakeNode.ts's 'bare', 'http' and 'net' modes), each a child of its own on plain node,
 * under bench/intake.ts's load (16 clients, one request in flight each):
 *
 *   npx tsx bench/lib/httpFloor.ts [rounds] [requests a sender]
 *
 * It prints, a round: requests a second, the child's CPU a request (all threads), its main
 * thread's, and the load generator's; then the medians. bench intake prints the first two as its
 * ceilings; 'net' is the floor under node:http, what a leaner HTTP path could reach at most.
 */
import { loadavg } from 'node:os';
import { newBenchKey } from './ed25519.js';
import {
  checkSingle,
  compileIntakeNode,
  type ModeResult,
  runClients,
  startNodeChild,
} from './intakeClients.js';
import { encodeRequests, type Mode } from './intakeRequests.js';

const [roundsArg = '4', requestsArg = '800'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const mode: Mode = {
  name: 'POST /api/tx ({hex})',
  form: 'hex',
  perRequest: 1,
  requests: Number(requestsArg),
  aim: 0,
};
const senders = Array.from({ length: 16 }, newBenchKey);
const compiled = compileIntakeNode();
const kinds = ['bare', 'http', 'net'] as const;
const children = await Promise.all(kinds.map((kind) => startNodeChild(compiled, 0, kind)));
const runs = new Map<string, ModeResult[]>(kinds.map((kind) => [kind, []]));
const us = (ms: number, n: number) => ((1000 * ms) / n).toFixed(0).padStart(4);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
try {
  for (let round = -1; round < rounds; round++) {
    for (const [k, kind] of kinds.entries()) {
      const child = children[k]!;
      const r = await runClients(child, encodeRequests(child, mode, 0n, senders), 1, checkSingle);
      if (round < 0) continue; // warm-up
      runs.get(kind)!.push(r);
      const n = r.accepted;
      process.stdout.write(
        `${kind.padEnd(5)} ${Math.round(n / r.seconds)
          .toString()
          .padStart(
            6,
          )}/s  CPU a request ${us(r.nodeCpuMs, n)} µs  main ${us(r.threadsMs.main ?? 0, n)}  generator ${us(r.benchCpuMs, n)}  load ${loadavg()[0]!.toFixed(1)}\n`,
      );
    }
  }
  for (const kind of kinds) {
    const rs = runs.get(kind)!;
    const per = (pick: (r: ModeResult) => number) =>
      median(rs.map((r) => (1000 * pick(r)) / r.accepted)).toFixed(0);
    process.stdout.write(
      `${kind} medians: ${Math.round(median(rs.map((r) => r.accepted / r.seconds)))}/s, CPU a request ${per((r) => r.nodeCpuMs)} µs, main ${per((r) => r.threadsMs.main ?? 0)} µs, generator ${per((r) => r.benchCpuMs)} µs\n`,
    );
  }
} finally {
  await Promise.all(children.map((child) => child.close()));
}
