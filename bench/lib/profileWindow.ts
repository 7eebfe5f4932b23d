/**
 * A syncing node's main-thread CPU profile (syncAlternate.ts, SYNCALT_PROFILE) cut by its
 * timeline (syncTimeline.ts): self time by function between two of the timeline's events, for
 * the sync's first blocks against as many blocks of its steady part, side by side.
 *
 *   npx tsx bench/lib/profileWindow.ts <profile> <timeline> [top] [firstBlocks] [steadyFrom]
 *
 * The first window runs from "measured sync start" to the end of block `firstBlocks` (3: up to
 * the first full block), the second from the end of block `steadyFrom` (10) to the end of
 * `steadyFrom + firstBlocks`. Idle and (program) samples are left out.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [profileFile = '', timelineFile = '', topText = '25', firstText = '3', steadyText = '10'] =
  process.argv.slice(2);
const top = Number(topText);
const firstBlocks = Number(firstText);
const steadyFrom = Number(steadyText);
const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as Profile;
const timeline = readFileSync(timelineFile, 'utf8').split('\n');
const origin = Number(/monotonic (\d+) µs/.exec(timeline[0] ?? '')?.[1]);
/** The event's time on the profile's clock (µs). */
const eventAt = (what: string): number => {
  const line = timeline.find((l) => l.endsWith(` ${what}`));
  if (!line) throw new Error(`no "${what}" in the timeline`);
  return origin + 1000 * Number(line.split(' ')[0]);
};
const short = (url: string) => url.replace(/^.*\/(src|node_modules|bench)\//, '$1/');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const keyOf = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

/** Self ms by function over [from, to) µs. */
function window(from: number, to: number): Map<string, number> {
  const self = new Map<string, number>();
  let t = profile.startTime;
  for (const [i, id] of profile.samples.entries()) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t >= to) continue;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') continue;
    const key = keyOf(node);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  return self;
}

const first = window(eventAt('measured sync start'), eventAt(`addBlock ${firstBlocks} end`));
const steady = window(
  eventAt(`addBlock ${steadyFrom} end`),
  eventAt(`addBlock ${steadyFrom + firstBlocks} end`),
);
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
console.log(
  `busy ms: sync start to block ${firstBlocks}'s end ${total(first).toFixed(0)}; blocks ${steadyFrom + 1}-${steadyFrom + firstBlocks} ${total(steady).toFixed(0)}`,
);
const keys = [...new Set([...first.keys(), ...steady.keys()])];
const rows = keys
  .map((k) => [k, first.get(k) ?? 0, steady.get(k) ?? 0] as const)
  .sort((a, b) => b[1] - b[2] - (a[1] - a[2]));
console.log('first - steady, ms (first, steady): the functions the first blocks pay more');
for (const [k, f, s] of rows.slice(0, top))
  console.log(`${(f - s).toFixed(1).padStart(7)} (${f.toFixed(1)}, ${s.toFixed(1)}) ${k}`);
