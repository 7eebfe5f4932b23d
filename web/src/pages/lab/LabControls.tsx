/**
 * The lab's controls, each applied live to the real nodes and shown as the nodes report it: per
 * node its hash-rate cap, mining, pause/wake, stop/restart, withholding and release (LabNodeCard);
 * add a node; each link cut, restored or delayed (LabLinks); a partition into two groups, and
 * healing.
 */
import { useState } from 'react';
import { LabLinks } from './LabLinks.tsx';
import { LabNodeCard } from './LabNodeCard.tsx';
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
      {/* None running: the page opened before a lab, or a batch closed its nodes. */}
      {state.nodes.every((n) => n.state === 'stopped') && (
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
        {state.nodes.map((node) => (
          <LabNodeCard
            key={node.name}
            node={node}
            names={names}
            actors={state.actors}
            busy={busy}
            act={act}
          />
        ))}
      </div>
      {state.nodes.length > 0 && (
        <div className="row lab-add">
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => act({ action: 'add_node' })}
          >
            Add a node
          </button>
          <span className="small muted">
            a new node process joins the lab: it syncs the chain from the others, not mining
          </span>
        </div>
      )}
      <LabLinks nodes={state.nodes} busy={busy} act={act} />
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
