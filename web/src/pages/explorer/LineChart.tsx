/**
 * One line over block heights, drawn by uPlot (a small canvas chart library, no dependencies,
 * bundled by Vite: the dashboard works offline). It takes its container's width, so it fits a
 * phone as well as a desktop.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT_STEPS = [1, 2, 5]
  .flatMap((step) => [1, 10, 100, 1_000, 10_000, 100_000].map((x) => step * x))
  .sort((a, b) => a - b);

export function LineChart({
  title,
  xs,
  ys,
  unit,
  color,
}: {
  title: string;
  xs: readonly number[];
  ys: readonly (number | null)[];
  unit: string;
  color: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(200, el.clientWidth);
    const chart = new uPlot(
      {
        width: width(),
        height: 160,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [
          // Heights are whole numbers: ticks step by 1, 2, 5, 10, … so none falls at 2.5.
          { label: 'height', size: 36, incrs: HEIGHT_STEPS },
          { label: unit, size: 60, values: (_u, ticks) => ticks.map(compact) },
        ],
        series: [{}, { label: title, stroke: color, width: 1.5, spanGaps: true }],
      },
      [xs as number[], ys as (number | null)[]],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: 160 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [xs, ys, unit, title, color]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}, by block height`} />
    </figure>
  );
}

function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toPrecision(3)}k`;
  return `${Number(n.toPrecision(3))}`;
}
