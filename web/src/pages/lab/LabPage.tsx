/**
 * The Lab page (`blockyard lab`): steer real nodes (hash power, mining, links, partitions,
 * pause and restart), watch the merged block tree and the whole network's timeline, scrub back
 * through it, export it, load one to replay, and run the guided attacks.
 */
import { useState } from 'react';
import { describeEvent } from '../../../../src/lab/describe.ts';
import type { LabEvent } from '../../../../src/lab/timeline.ts';
import { LabControls } from './LabControls.tsx';
import { LabTree } from './LabTree.tsx';
import { exportTimeline, parseTimeline, useLabState } from './labApi.ts';
import { ScenarioGuide } from './ScenarioGuide.tsx';
import { TheoryPanel } from './TheoryPanel.tsx';
import './lab.css';

export function LabPage() {
  const { state, missing, refresh } = useLabState();
  const [replay, setReplay] = useState<{ nodes: string[]; events: LabEvent[] } | undefined>();
  const [scrub, setScrub] = useState<number | undefined>();
  const [problem, setProblem] = useState<string>();

  if (missing && !state && !replay) {
    return (
      <section>
        <h1>Lab</h1>
        <p>
          This page steers a lab of real nodes. Start one with <code>blockyard lab</code> and open
          the address it prints.
        </p>
        <ImportButton onLoad={setReplay} onProblem={setProblem} />
        {problem && <p className="error">{problem}</p>}
        <TheoryPanel batch={undefined} canRun={false} />
      </section>
    );
  }
  const nodes = replay?.nodes ?? state?.nodes.map((n) => n.name) ?? [];
  const events = replay?.events ?? state?.events ?? [];
  const end = events.length > 0 ? events[events.length - 1]!.at : 0;
  const until = scrub ?? end;
  const shown = events.filter((e) => e.at <= until);
  return (
    <section className="lab">
      <h1>Lab {replay && <span className="muted">— replaying a loaded timeline</span>}</h1>
      {!replay && state && <LabControls state={state} onDone={refresh} />}
      <div className="panel">
        <h2>Block tree</h2>
        <p className="muted small">
          Coloured by the node that found each block; ▲ marks each node's tip. Dashed: withheld,
          only its miner has it.
        </p>
        <LabTree events={events} nodes={nodes} until={until} />
      </div>
      <div className="panel">
        <h2>Timeline</h2>
        <div className="row lab-scrub">
          <label htmlFor="lab-scrub">
            {scrub === undefined ? 'live' : `at ${(until / 1000).toFixed(1)} s`}
          </label>
          <input
            id="lab-scrub"
            type="range"
            min={0}
            max={Math.max(end, 1)}
            value={until}
            onChange={(e) => {
              const value = Number(e.currentTarget.value);
              setScrub(value >= end ? undefined : value);
            }}
            aria-label="Replay the timeline up to a moment"
          />
          <button type="button" className="button" onClick={() => setScrub(undefined)}>
            Live
          </button>
          <button type="button" className="button" onClick={() => exportTimeline(nodes, events)}>
            Export JSON
          </button>
          <ImportButton onLoad={setReplay} onProblem={setProblem} />
          {replay && (
            <button type="button" className="button" onClick={() => setReplay(undefined)}>
              Back to the live lab
            </button>
          )}
        </div>
        {problem && <p className="error">{problem}</p>}
        <ol className="lab-timeline" data-testid="lab-timeline">
          {shown
            .slice(-150)
            .reverse()
            .map((e) => (
              <li key={events.indexOf(e)} className={`lab-event ${e.kind}`}>
                <span className="mono muted">{(e.at / 1000).toFixed(2)} s</span> {describeEvent(e)}
              </li>
            ))}
        </ol>
      </div>
      {!replay && state && <ScenarioGuide scenario={state.scenario} onStarted={refresh} />}
      <TheoryPanel
        batch={state?.batch}
        canRun={!replay && state !== undefined}
        onStarted={refresh}
      />
    </section>
  );
}

function ImportButton({
  onLoad,
  onProblem,
}: {
  onLoad: (file: { nodes: string[]; events: LabEvent[] }) => void;
  onProblem: (problem: string | undefined) => void;
}) {
  return (
    <label className="button lab-import">
      Load JSON
      <input
        type="file"
        accept="application/json,.json"
        data-testid="lab-import"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          if (!file) return;
          const parsed = parseTimeline(await file.text());
          if (typeof parsed === 'string') onProblem(`That file is ${parsed}.`);
          else {
            onProblem(undefined);
            onLoad({ nodes: [...parsed.nodes], events: [...parsed.events] });
          }
        }}
      />
    </label>
  );
}
