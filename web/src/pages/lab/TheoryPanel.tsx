/**
 * "Measured against theory": run a small batch of attacks on real nodes from the page, or load
 * the JSON of a full one (`blockyard lab batch --json`), and see each measured rate with its
 * 95 % interval beside the formulas: the whitepaper's §11 and the exact odds of the lab's own
 * race for the 51 % attack, Eyal and Sirer's curve for selfish mining.
 */
import { useState } from 'react';
import type { BatchResult, SelfishBatchResult } from '../../../../src/lab/batchResult.ts';
import { ErrorBarChart } from './ErrorBarChart.tsx';
import { type BatchRunView, runLabBatch } from './labApi.ts';
import { type LoadedBatch, majorityCharts, parseBatch, selfishChart } from './theoryChart.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const odds = (x: number) => (x >= 0.001 || x === 0 ? pct(x) : `${(x * 100).toPrecision(2)} %`);
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);

export function TheoryPanel({
  batch,
  canRun,
  onStarted,
}: {
  batch: BatchRunView | null | undefined;
  canRun: boolean;
  onStarted?: () => void;
}) {
  const [loaded, setLoaded] = useState<LoadedBatch>();
  const [problem, setProblem] = useState<string>();
  const [kind, setKind] = useState<'majority' | 'selfish'>('majority');
  const [qs, setQs] = useState('0.3');
  const [ks, setKs] = useState('0,1,2');
  const [trials, setTrials] = useState(3);
  const result = loaded ?? batch?.result;
  return (
    <div className="panel lab-theory" data-testid="lab-theory">
      <h2>Measured against theory</h2>
      <p className="muted small">
        Many attacks on real nodes, each a real race of proof of work: how often the double spend
        succeeds against a merchant waiting k confirmations, or how much of the chain a selfish
        miner takes, beside what the formulas say. A full batch takes minutes:{' '}
        <code>blockyard lab batch --json &gt; batch.json</code>, then load it here.
      </p>
      {canRun && (
        <div className="row lab-theory-form">
          <select
            aria-label="Which attack"
            value={kind}
            onChange={(e) => {
              const next = e.currentTarget.value as 'majority' | 'selfish';
              setKind(next);
              setQs(next === 'selfish' ? '0.25,0.4' : '0.3');
              setTrials(next === 'selfish' ? 1 : 3);
            }}
          >
            <option value="majority">51 % attack</option>
            <option value="selfish">selfish mining</option>
          </select>
          <label>
            q <input size={10} value={qs} onChange={(e) => setQs(e.currentTarget.value)} />
          </label>
          {kind === 'majority' && (
            <label>
              k <input size={8} value={ks} onChange={(e) => setKs(e.currentTarget.value)} />
            </label>
          )}
          <label>
            trials{' '}
            <input
              type="number"
              min={1}
              max={20}
              value={trials}
              onChange={(e) => setTrials(Number(e.currentTarget.value))}
            />
          </label>
          <button
            type="button"
            className="button primary"
            disabled={batch?.running === true}
            onClick={async () => {
              setProblem(undefined);
              setLoaded(undefined);
              try {
                await runLabBatch({
                  kind,
                  q: list(qs),
                  k: kind === 'selfish' ? [0] : list(ks),
                  trials,
                });
                onStarted?.();
              } catch (error) {
                setProblem((error as Error).message);
              }
            }}
          >
            Run a batch
          </button>
        </div>
      )}
      <label className="button lab-import">
        Load a batch's JSON
        <input
          type="file"
          accept="application/json,.json"
          data-testid="lab-batch-import"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            const parsed = parseBatch(await file.text());
            if (typeof parsed === 'string') setProblem(`That file is ${parsed}.`);
            else {
              setProblem(undefined);
              setLoaded(parsed);
            }
          }}
        />
      </label>
      {problem && <p className="error">{problem}</p>}
      {batch && !loaded && (
        <p data-testid="lab-batch-status">
          {batch.running
            ? `Batch running on its own nodes: ${batch.done} of ${batch.total} trial(s) done (the tree and timeline above follow it)`
            : batch.error
              ? `The batch stopped: ${batch.error}`
              : `Batch done: ${batch.total} trial(s).`}
        </p>
      )}
      {result?.kind === 'majority-batch' && <MajorityFigures result={result} />}
      {result?.kind === 'selfish-batch' && <SelfishFigures result={result} />}
    </div>
  );
}

function MajorityFigures({ result }: { result: BatchResult }) {
  return (
    <>
      <div className="table-scroll">
        <table className="lab-theory-table" data-testid="lab-batch-table">
          <thead>
            <tr>
              <th>q</th>
              <th>k</th>
              <th>trials</th>
              <th>successes</th>
              <th>measured (95 %)</th>
              <th>lab's rules</th>
              <th>§11</th>
              <th>time</th>
            </tr>
          </thead>
          <tbody>
            {result.cells.map((c) => (
              <tr key={`${c.q}/${c.k}`}>
                <td data-label="q">{pct(c.q)}</td>
                <td data-label="k">{c.k}</td>
                <td data-label="trials">{c.trials}</td>
                <td data-label="successes">{c.successes}</td>
                <td data-label="measured (95 %)">
                  {pct(c.rate)}{' '}
                  <span className="muted">
                    ({pct(c.ci95.low)}–{pct(c.ci95.high)})
                  </span>
                </td>
                <td data-label="lab's rules">{odds(c.labRules)}</td>
                <td data-label="§11">{odds(c.whitepaper)}</td>
                <td data-label="time">{(c.wallMs / 1000).toFixed(0)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Lab's rules: the exact odds of the race the nodes run (the attacker needs one block more
        than a tie, and gives up {result.giveUpBehind} blocks behind). §11: the whitepaper's
        formula, which counts a tie as caught up and is 100 % at k = 0.
      </p>
      <div className="lab-theory-charts">
        {majorityCharts(result).map((chart) => (
          <ErrorBarChart key={chart.title} chart={chart} />
        ))}
      </div>
    </>
  );
}

function SelfishFigures({ result }: { result: SelfishBatchResult }) {
  return (
    <>
      <div className="table-scroll">
        <table className="lab-theory-table" data-testid="lab-batch-table">
          <thead>
            <tr>
              <th>alpha</th>
              <th>runs</th>
              <th>blocks</th>
              <th>attacker's</th>
              <th>revenue (95 %)</th>
              <th>Eyal–Sirer</th>
              <th>orphaned</th>
            </tr>
          </thead>
          <tbody>
            {result.cells.map((c) => (
              <tr key={c.alpha}>
                <td data-label="alpha">{pct(c.alpha)}</td>
                <td data-label="runs">{c.runs.length}</td>
                <td data-label="blocks">{c.chainBlocks}</td>
                <td data-label="attacker's">{c.attackerBlocks}</td>
                <td data-label="revenue (95 %)">
                  {pct(c.revenue)}{' '}
                  <span className="muted">
                    ({pct(c.ci95.low)}–{pct(c.ci95.high)})
                  </span>
                </td>
                <td data-label="Eyal–Sirer">{pct(c.eyalSirer)}</td>
                <td data-label="orphaned">{c.orphanedHonest}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorBarChart chart={selfishChart(result)} />
    </>
  );
}
