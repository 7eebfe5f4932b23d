/**
 * Measured points with their interval beside theory's curves, drawn by uPlot (as the explorer's
 * LineChart): lines for the formulas, dots with whiskers for what the lab measured. The
 * whiskers are drawn on uPlot's canvas after each redraw (uPlot has no error bars of its own).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from './theoryChart.ts';

const HEIGHT = 220;

export function ErrorBarChart({ chart }: { chart: ChartData }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    const whiskers = (u: uPlot) => {
      const ctx = u.ctx;
      chart.series.forEach((s, i) => {
        if (!s.low || !s.high) return;
        ctx.save();
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        chart.xs.forEach((x, j) => {
          const low = s.low?.[j];
          const high = s.high?.[j];
          if (low == null || high == null || !u.series[i + 1]?.show) return;
          const cx = u.valToPos(x, 'x', true);
          const top = u.valToPos(high, 'y', true);
          const bottom = u.valToPos(low, 'y', true);
          const cap = 4 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(cx, top);
          ctx.lineTo(cx, bottom);
          ctx.moveTo(cx - cap, top);
          ctx.lineTo(cx + cap, top);
          ctx.moveTo(cx - cap, bottom);
          ctx.lineTo(cx + cap, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
    };
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: true, live: false },
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [
          { label: chart.xLabel, size: 40 },
          {
            label: 'chance',
            size: 50,
            values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)} %`),
          },
        ],
        series: [
          {},
          ...chart.series.map((s) =>
            s.style === 'points'
              ? {
                  label: s.label,
                  stroke: s.color,
                  fill: s.color,
                  paths: () => null,
                  points: { show: true, size: 8, fill: s.color },
                }
              : {
                  label: s.label,
                  stroke: s.color,
                  width: 2,
                  spanGaps: true,
                  points: { show: false },
                  ...(s.style === 'dashed' ? { dash: [6, 4] } : {}),
                },
          ),
        ],
        hooks: { draw: [whiskers] },
      },
      [chart.xs as number[], ...chart.series.map((s) => s.ys as (number | null)[])],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [chart]);
  return (
    <figure className="chart lab-theory-chart">
      <figcaption>{chart.title}</figcaption>
      <div ref={box} role="img" aria-label={`${chart.title}: measured against theory`} />
    </figure>
  );
}
