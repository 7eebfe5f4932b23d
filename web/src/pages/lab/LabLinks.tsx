/**
 * Every link between two lab nodes, as the two nodes report it (GET /api/lab on each end): open
 * or cut, and the delay each end adds to its calls over it. Cut, restore and delay act on both
 * ends; what is shown is read back from the nodes, not what the page asked for.
 */
import type { LabNodeView } from './labApi.ts';

const DELAYS = [0, 100, 250, 500, 1_000, 2_000, 5_000];

interface End {
  readonly cut: boolean;
  readonly delay_ms: number;
}

/** What `from` says of its link to `to` (a link it does not list is open, no delay). */
function endOf(from: LabNodeView, to: LabNodeView): End | undefined {
  if (!from.status) return undefined;
  const link = from.status.links.find((l) => l.peer === to.url);
  return { cut: link?.cut ?? false, delay_ms: link?.delay_ms ?? 0 };
}

function describe(a: LabNodeView, b: LabNodeView, ab: End | undefined, ba: End | undefined) {
  const one = (end: End) =>
    `${end.cut ? 'cut' : 'open'}${end.delay_ms > 0 ? ` · delay ${end.delay_ms} ms` : ''}`;
  if (!ab && !ba) return 'unknown (neither end answers)';
  if (ab && ba && ab.cut === ba.cut && ab.delay_ms === ba.delay_ms) return one(ab);
  return [ab && `${a.name} → ${b.name} ${one(ab)}`, ba && `${b.name} → ${a.name} ${one(ba)}`]
    .filter(Boolean)
    .join('; ');
}

export function LabLinks({
  nodes,
  busy,
  act,
}: {
  nodes: readonly LabNodeView[];
  busy: boolean;
  act: (body: Record<string, unknown>) => void;
}) {
  const pairs = nodes.flatMap((a, i) => nodes.slice(i + 1).map((b) => [a, b] as const));
  if (pairs.length === 0) return null;
  return (
    <div className="lab-links">
      <h3>Links</h3>
      <ul>
        {pairs.map(([a, b]) => {
          const ab = endOf(a, b);
          const ba = endOf(b, a);
          const both = a.state === 'running' && b.state === 'running';
          const cut = ab?.cut || ba?.cut;
          const delay = Math.max(ab?.delay_ms ?? 0, ba?.delay_ms ?? 0);
          return (
            <li key={`${a.name}-${b.name}`} data-testid={`lab-link-${a.name}-${b.name}`}>
              <span className="lab-link-name">
                {a.name} ↔ {b.name}
              </span>{' '}
              <span className={cut ? 'lab-link-state cut' : 'lab-link-state'}>
                {describe(a, b, ab, ba)}
              </span>
              <span className="row">
                <button
                  type="button"
                  className="button"
                  disabled={busy || !both}
                  onClick={() => act({ action: cut ? 'restore' : 'cut', a: a.name, b: b.name })}
                >
                  {cut ? 'Restore' : 'Cut'}
                </button>
                <select
                  aria-label={`Delay between ${a.name} and ${b.name}`}
                  value={DELAYS.includes(delay) ? delay : ''}
                  disabled={busy || !both}
                  onChange={(e) =>
                    act({
                      action: 'delay',
                      a: a.name,
                      b: b.name,
                      ms: Number(e.currentTarget.value),
                    })
                  }
                >
                  {!DELAYS.includes(delay) && <option value="">{delay} ms</option>}
                  {DELAYS.map((ms) => (
                    <option key={ms} value={ms}>
                      {ms === 0 ? 'no delay' : `${ms.toLocaleString('en-US')} ms`}
                    </option>
                  ))}
                </select>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
