/**
 * The guided attacks: pick one, read what it does step by step, choose the merchant's
 * confirmations, and run it on real nodes (the lab starts a network for it, and the tree and
 * timeline above follow it).
 */
import { useState } from 'react';
import { runLabScenario, type ScenarioRunView } from './labApi.ts';
import { guides } from './scenarioGuides.ts';

export function ScenarioGuide({
  scenario,
  onStarted,
}: {
  scenario: ScenarioRunView | null;
  onStarted: () => void;
}) {
  const [name, setName] = useState(guides[0]!.name);
  const [k, setK] = useState(0);
  const [problem, setProblem] = useState<string>();
  const guide = guides.find((g) => g.name === name)!;
  const result = scenario?.result;
  return (
    <div className="panel lab-guide">
      <h2>Attacks, run for real</h2>
      <div className="row">
        {guides.map((g) => (
          <button
            key={g.name}
            type="button"
            className={g.name === name ? 'button current' : 'button'}
            onClick={() => setName(g.name)}
          >
            {g.title}
          </button>
        ))}
      </div>
      <p>{guide.idea}</p>
      <ol>
        {guide.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p>
        <b>What it teaches:</b> {guide.lesson}
      </p>
      <div className="row">
        <label htmlFor="lab-k">The merchant ships after</label>
        <select id="lab-k" value={k} onChange={(e) => setK(Number(e.currentTarget.value))}>
          {[0, 1, 2, 3, 6].map((n) => (
            <option key={n} value={n}>
              {n} confirmation{n === 1 ? '' : 's'}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button primary"
          disabled={scenario?.running === true}
          onClick={async () => {
            setProblem(undefined);
            try {
              await runLabScenario(name, k);
              onStarted();
            } catch (error) {
              setProblem((error as Error).message);
            }
          }}
        >
          Run on real nodes
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
      {scenario && (
        <p data-testid="lab-scenario-status" className={result?.attackSucceeded ? 'lab-lost' : ''}>
          {scenario.running
            ? `${scenario.name}: running… (the nodes start, then the story unfolds on the timeline)`
            : scenario.error
              ? `${scenario.name} stopped: ${scenario.error}`
              : result && typeof result.figures?.revenue_share === 'number'
                ? `${scenario.name}: the attacker's blocks are ${result.figures.attacker_blocks} of ${result.figures.chain_blocks} on the final chain (${(result.figures.revenue_share * 100).toFixed(1)} % of the revenue for ${(Number(result.figures.alpha) * 100).toFixed(0)} % of the hash power); ${result.figures.orphaned_honest_blocks} honest block(s) orphaned (${(result.runMs / 1000).toFixed(1)} s)`
                : result
                  ? `${scenario.name}: the attack ${result.attackSucceeded ? 'SUCCEEDED' : 'FAILED'} — the merchant ${result.merchantShipped ? 'shipped' : 'did not ship'}, the payment is ${result.payment.split(' (')[0]} (${(result.runMs / 1000).toFixed(1)} s)`
                  : ''}
        </p>
      )}
    </div>
  );
}
