/**
 * Sums V8 CPU profiles (.cpuprofile, e.g. those bench/lib/adoptProfile.ts writes): time per
 * round by function's self time, by file, and inclusive (each function once per sample); with a
 * pattern, the callers of the functions it matches. Idle samples are left out.
 *   npx tsx bench/lib/profileSummary.ts DIR [top] [pattern]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [dir = '/tmp/adopt-prof', topText = '40', pattern] = process.argv.slice(2);
const top = Number(topText);
const focus = pattern ? new RegExp(pattern) : undefined;
const short = (url: string) =>
  url.replace(/^file:\/\/.*?(node_modules\/\.cache\/[^/]+\/)?/, '').replace(/.*node_modules\//, '');
const key = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const add = (map: Map<string, number>, k: string, ms: number) => map.set(k, (map.get(k) ?? 0) + ms);

const self = new Map<string, number>();
const files = new Map<string, number>();
const inclusive = new Map<string, number>();
const callers = new Map<string, number>();
let busy = 0;
const names = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
for (const name of names) {
  const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  profile.samples.forEach((sample, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(sample)!;
    if (node.callFrame.functionName === '(idle)') return;
    busy += ms;
    add(self, key(node), ms);
    add(files, short(node.callFrame.url) || node.callFrame.functionName, ms);
    const stack: string[] = [];
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id))
      stack.push(key(byId.get(id)!));
    for (const k of new Set(stack)) add(inclusive, k, ms);
    if (focus?.test(stack[0]!)) {
      const own = stack.slice(1).filter((k) => !/^\S+ node:|^\(root\)|^runMicrotasks/.test(k));
      add(callers, own.slice(0, 4).join(' < '), ms);
    }
  });
}
const rounds = Math.max(1, names.length);
const print = (title: string, map: Map<string, number>, count = top) => {
  console.log(`\n== ${title}`);
  for (const [k, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count))
    console.log(
      `${(ms / rounds).toFixed(2).padStart(7)} ms/round ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${k}`,
    );
};
console.log(`${names.length} profiles, busy ${(busy / rounds).toFixed(2)} ms a profile`);
print('self time', self);
print('by file (self time)', files, 25);
print('inclusive', inclusive, 2 * top);
if (focus) print(`callers of ${pattern}`, callers, 30);
