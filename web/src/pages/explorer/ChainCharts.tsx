/**
 * The chain over its latest 200 blocks (GET /api/stats): the time between blocks, the
 * difficulty, the hash rate the network spent (estimated from the work of the last 10 blocks and
 * their time), and on a retargeting network how far the current window is and which way the
 * next target is heading. Redrawn as blocks arrive.
 */
import { useMemo } from 'react';
import type { Answer } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { hashRate } from '../../format.ts';
import { useLoad } from '../../node.tsx';
import { LineChart } from './LineChart.tsx';

export function ChainCharts() {
  const { data, error } = useLoad(
    (client) => client.request('chainStats', { query: { blocks: 200 } }),
    [],
    ['block', 'reorg'],
  );
  const { heights, charts } = useMemo(() => {
    const blocks = data?.blocks ?? [];
    const rate = blocks.at(-1)?.hash_rate ?? null;
    const charts = [
      {
        title: 'Time between blocks',
        unit: 's',
        // NOTE: block 1's interval is from genesis, whose timestamp is fixed long before: left out.
        ys: blocks.map((b) =>
          b.interval_ms === null || b.height === 1 ? null : b.interval_ms / 1000,
        ),
        color: '#b45309',
      },
      {
        title: 'Difficulty',
        unit: '× easiest',
        ys: blocks.map((b) => b.difficulty),
        color: '#1d4ed8',
      },
      {
        title: `Estimated hash rate${rate === null ? '' : ` (now ${hashRate(rate)})`}`,
        unit: 'H/s',
        ys: blocks.map((b) => b.hash_rate),
        color: '#15803d',
      },
    ];
    return { heights: blocks.map((b) => b.height), charts };
  }, [data]);
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">The chain, block by block</h2>
      <ErrorNote error={error} title="Could not load the chain's statistics." />
      {data?.retarget && <RetargetProgress retarget={data.retarget} />}
      {data && !data.retarget && (
        <p className="muted">
          The {data.network} network keeps one fixed target: its difficulty never changes.
        </p>
      )}
      {data && data.blocks.length > 1 && (
        <div className="charts">
          {charts.map((chart) => (
            <LineChart key={chart.unit} xs={heights} {...chart} />
          ))}
        </div>
      )}
    </section>
  );
}

type Retarget = NonNullable<Answer<'chainStats'>['retarget']>;

function RetargetProgress({ retarget: r }: { retarget: Retarget }) {
  const done = Math.min(100, Math.round((r.window_blocks / r.interval_blocks) * 100));
  const ratio = r.projected_ratio;
  const heading =
    ratio === null
      ? 'no block of the window yet'
      : ratio > 1.001
        ? `blocks come slower than ${r.target_block_time_ms / 1000} s: the target would get ${((ratio - 1) * 100).toFixed(1)} % easier`
        : ratio < 0.999
          ? `blocks come faster than ${r.target_block_time_ms / 1000} s: the target would get ${((1 - ratio) * 100).toFixed(1)} % harder`
          : 'on pace: the target would stay';
  return (
    <div className="retarget panel" data-testid="retarget-progress">
      <p>
        Next retarget at height <b>#{r.next_height}</b>, in {r.blocks_left}{' '}
        {r.blocks_left === 1 ? 'block' : 'blocks'}: {r.window_blocks} of {r.interval_blocks} blocks
        of the window in {(r.window_elapsed_ms / 1000).toFixed(1)} s (the aim is{' '}
        {(r.expected_ms / 1000).toFixed(0)} s for all).
      </p>
      <progress max={100} value={done} aria-label="Retarget window mined" />
      <p className="muted">At this pace, {heading}.</p>
    </div>
  );
}
