/**
 * The lab's controls, each applied live: per node its hash-rate cap, mining, pause/resume and
 * stop/restart; links cut and restored; a partition of the nodes into two groups, and healing.
 */
import { useState } from 'react';
import { colorOf } from './LabTree.tsx';
import { type LabState, labControl } from './labApi.ts';

export function LabControls({ state, onDone }: { state: LabState; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [groupA, setGroupA] = useState<string[]>([]);
  const names = state.nodes.map((n) => n.name);
  const act = async (body: Record<string, unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await labControl(body);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
      onDone();
    }
  };
  return (
    <div className="panel">
      <h2>Nodes</h2>
      {state.nodes.length === 0 && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => act({ action: 'new_lab' })}
        >
          Start a new lab
        </button>
      )}
      <div className="lab-nodes">
        {state.nodes.map((node) => {
          const s = node.status;
          const cut = s?.links.filter((l) => l.cut).length ?? 0;
          return (
            <div key={node.name} className="lab-node" data-testid={`lab-node-${node.name}`}>
              <b style={{ color: colorOf(names, node.name) }}>{node.name}</b>{' '}
              <span className={`lab-state ${node.state}`}>{node.state}</span>
              <div className="small muted">
                {s
                  ? `${s.mining ? 'mining' : 'not mining'} · cap ${s.hash_rate_cap === null ? 'none' : `${s.hash_rate_cap.toLocaleString('en-US')} H/s`} · measured ${s.hash_rate.toLocaleString('en-US')} H/s${cut > 0 ? ` · ${cut} link(s) cut` : ''}${s.withholding.on ? ` · withholding ${s.withholding.blocks.length}` : ''}`
                  : '—'}
              </div>
              <div className="row">
                <select
                  aria-label={`Hash rate of ${node.name}`}
                  value={s?.hash_rate_cap ?? ''}
                  disabled={busy || !s}
                  onChange={(e) =>
                    act({
                      action: 'hash_rate',
                      node: node.name,
                      rate: Number(e.currentTarget.value),
                    })
                  }
                >
                  {[1_000, 2_000, 5_000, 10_000, 20_000, 50_000].map((r) => (
                    <option key={r} value={r}>
                      {r.toLocaleString('en-US')} H/s
                    </option>
                  ))}
                  {s?.hash_rate_cap !== null &&
                    s &&
                    ![1_000, 2_000, 5_000, 10_000, 20_000, 50_000].includes(s.hash_rate_cap) && (
                      <option value={s.hash_rate_cap}>{s.hash_rate_cap} H/s</option>
                    )}
                </select>
                <button
                  type="button"
                  className="button"
                  disabled={busy || !s}
                  onClick={() => act({ action: 'mining', node: node.name, on: !s?.mining })}
                >
                  {s?.mining ? 'Stop mining' : 'Mine'}
                </button>
                {node.state === 'paused' ? (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => act({ action: 'resume', node: node.name })}
                  >
                    Resume
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={busy || node.state !== 'running'}
                    onClick={() => act({ action: 'pause', node: node.name })}
                  >
                    Pause
                  </button>
                )}
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() =>
                    act({ action: node.state === 'stopped' ? 'restart' : 'stop', node: node.name })
                  }
                >
                  {node.state === 'stopped' ? 'Restart' : 'Stop'}
                </button>
              </div>
            </div>
          );
        })}
      </div>
      {state.nodes.length > 1 && (
        <div className="lab-partition">
          <h3>Partition</h3>
          <p className="small muted">
            Tick one side; the others are the other side. Every link between the sides is cut.
          </p>
          <div className="row">
            {names.map((name) => (
              <label key={name}>
                <input
                  type="checkbox"
                  checked={groupA.includes(name)}
                  onChange={(e) =>
                    setGroupA(
                      e.currentTarget.checked
                        ? [...groupA, name]
                        : groupA.filter((n) => n !== name),
                    )
                  }
                />{' '}
                {name}
              </label>
            ))}
            <button
              type="button"
              className="button"
              disabled={busy || groupA.length === 0 || groupA.length === names.length}
              onClick={() =>
                act({
                  action: 'partition',
                  left: groupA,
                  right: names.filter((n) => !groupA.includes(n)),
                })
              }
            >
              Partition
            </button>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => act({ action: 'heal' })}
            >
              Heal
            </button>
          </div>
        </div>
      )}
      {problem && <p className="error">{problem}</p>}
    </div>
  );
}
