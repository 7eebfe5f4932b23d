/**
 * bench/intake.ts's part (d), what durability costs: the same intake into three nodes side by
 * side: memory only (nothing survives a crash), SQLite with the mempool journal committing once
 * per turn of the event loop (the node's choice), and SQLite committing once per transfer (fsync
 * before each answer). Printed with bench/intake.ts's `out`.
 */
import { newBenchKey } from './ed25519.js';
import {
  BATCH_SIZE,
  checkBatch,
  checkSingle,
  type ModeResult,
  printFailures,
  runClients,
  startNodeChild,
} from './intakeClients.js';
import { encodeRequests, fundSenders, type Mode } from './intakeRequests.js';

const SENDERS = 16;
const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`;
const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;

export async function measureDurability(
  compiled: string | undefined,
  out: (...cells: string[]) => void,
): Promise<void> {
  const DURABLE_MODES: readonly Mode[] = [
    { name: 'POST /api/tx ({hex})', form: 'hex', perRequest: 1, requests: 150, aim: 0 },
    {
      name: `/api/tx/batch ×${BATCH_SIZE} ({hex})`,
      form: 'hex',
      perRequest: BATCH_SIZE,
      requests: 4,
      aim: 0,
    },
  ];
  const JOURNALS = [
    { journal: 'memory', name: 'memory, no journal' },
    { journal: 'group', name: 'journal, group commit' },
    { journal: 'each', name: 'journal, commit per tx' },
  ] as const;
  const durable: ModeResult[][] = [];
  for (const { journal } of JOURNALS) {
    const keys = Array.from({ length: SENDERS }, newBenchKey);
    const child = await startNodeChild(compiled, 50_000, journal);
    try {
      await fundSenders(child, keys);
      let nonce = 0n;
      const rows: ModeResult[] = [];
      for (const mode of DURABLE_MODES) {
        const requests = encodeRequests(child, mode, nonce, keys);
        nonce += BigInt(mode.requests * mode.perRequest);
        rows.push(
          await runClients(
            child,
            requests,
            mode.perRequest,
            mode.perRequest === 1 ? checkSingle : checkBatch,
          ),
        );
      }
      durable.push(rows);
    } finally {
      await child.close();
    }
  }
  out();
  out('(d) durability', ...DURABLE_MODES.map((m) => m.name.padEnd(22)));
  for (const [j, { name }] of JOURNALS.entries()) {
    out(
      name,
      ...DURABLE_MODES.map((_, m) => {
        const r = durable[j]![m]!;
        const base = durable[0]![m]!;
        const rate = r.accepted / r.seconds;
        return `${perSecond(rate)} (${percent(rate, base.accepted / base.seconds)})`.padEnd(22);
      }),
    );
  }
  for (const [j, { name }] of JOURNALS.entries()) {
    for (const [m, mode] of DURABLE_MODES.entries())
      printFailures(`${name}: ${mode.name}`, durable[j]![m]!);
  }
  out(`
  (d): ${SENDERS} clients as above, ${SENDERS} × ${DURABLE_MODES[0]!.requests} single transfers then ${SENDERS} × ${DURABLE_MODES[1]!.requests} batches, into three
  nodes one after another: a memory store (an acknowledged transfer dies with the process), then
  SQLite in a temp directory (WAL, synchronous = FULL) with the mempool journal committing once per
  turn of the event loop (group commit: the node's choice), then once per transfer (an fsync
  before each answer). In brackets: the rate ÷ the memory node's in this run.`);
}
