/**
 * The lab's merged block tree: every block any node has (or an attacker withholds), coloured by
 * the node that found it, with each node's tip as a marker under its block. A fork is two
 * markers on two branches; a reorg is a marker jumping.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { LabEvent } from '../../../../src/lab/timeline.ts';
import { treeOf } from '../../../../src/lab/timeline.ts';
import { TreeLines } from '../network/TreeLines.tsx';
import { GEOMETRY, layoutTree, type TreeBlock } from '../network/treeLayout.ts';

const G = GEOMETRY;
const COLORS = [
  '#2563eb',
  '#d97706',
  '#059669',
  '#db2777',
  '#7c3aed',
  '#0891b2',
  '#65a30d',
  '#dc2626',
];
const MARKER = 14;

export const colorOf = (nodes: readonly string[], node: string | undefined) =>
  node === undefined
    ? '#9ca3af'
    : (COLORS[Math.max(0, nodes.indexOf(node)) % COLORS.length] ?? '#9ca3af');

export function LabTree({
  events,
  nodes,
  until,
}: {
  events: readonly LabEvent[];
  nodes: readonly string[];
  until: number;
}) {
  const { layout, tips, found } = useMemo(() => {
    const tree = treeOf(events, until);
    const all = [...tree.blocks.values()];
    // The main row: the chain of the highest tip any node has.
    const best = Object.values(tree.tips)
      .map((hash) => tree.blocks.get(hash))
      .filter((b) => b !== undefined)
      .sort((a, b) => b.height - a.height)[0];
    const main = new Set<string>();
    for (let b = best; b; b = tree.blocks.get(b.prev_hash)) main.add(b.hash);
    const recent = all.filter((b) => b.height > (best?.height ?? 0) - 24);
    const blocks: TreeBlock[] = recent.map((b) => ({
      hash: b.hash,
      prev_hash: b.prev_hash,
      height: b.height,
      main: main.has(b.hash),
      invalid: false,
      timestamp_ms: 0,
      chain_work: '0',
    }));
    return {
      layout: layoutTree(blocks, best?.hash ?? ''),
      tips: tree.tips,
      found: new Map(recent.map((b) => [b.hash, b])),
    };
  }, [events, until]);
  const markersAt = new Map<string, string[]>();
  for (const [node, hash] of Object.entries(tips))
    markersAt.set(hash, [...(markersAt.get(hash) ?? []), node]);
  const extra = MARKER * Math.max(1, nodes.length);
  // The newest blocks are on the right: keep them in view on a narrow screen.
  const scroller = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the picture changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const toNewest = () => {
      el.scrollLeft = el.scrollWidth;
    };
    toNewest();
    // Also when the window narrows (a phone turned, a resized window): still the newest in view.
    const watch = new ResizeObserver(toNewest);
    watch.observe(el);
    return () => watch.disconnect();
  }, [layout]);
  return (
    <div className="tree-scroll lab-tree" ref={scroller}>
      <svg
        width={layout.width + 20}
        height={layout.height + extra}
        data-testid="lab-tree"
        aria-label="The merged block tree of every lab node"
      >
        <TreeLines layout={layout} />
        {layout.blocks.map(({ block, x, y }) => {
          const info = found.get(block.hash);
          const markers = markersAt.get(block.hash) ?? [];
          return (
            <g key={block.hash} data-testid="lab-block">
              <title>
                {`block ${block.height} ${block.hash.slice(0, 12)} · found by ${info?.found_by ?? 'unknown'}${info?.withheld ? ' · withheld, nobody else has it' : ''}`}
              </title>
              <rect
                x={x}
                y={y}
                width={G.blockWidth}
                height={G.blockHeight}
                rx={4}
                fill={colorOf(nodes, info?.found_by)}
                opacity={block.main ? 1 : 0.55}
                strokeDasharray={info?.withheld ? '4 3' : undefined}
                stroke={info?.withheld ? '#111' : 'none'}
              />
              <text
                x={x + G.blockWidth / 2}
                y={y + 18}
                textAnchor="middle"
                className="lab-block-label"
              >
                {block.hash.slice(0, 4)}
              </text>
              {markers.map((node, i) => (
                <text
                  key={node}
                  x={x + G.blockWidth / 2}
                  y={y + G.blockHeight + 12 + i * MARKER}
                  textAnchor="middle"
                  className="lab-tip-marker"
                  fill={colorOf(nodes, node)}
                  data-testid={`tip-${node}`}
                >
                  ▲ {node}
                </text>
              ))}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
