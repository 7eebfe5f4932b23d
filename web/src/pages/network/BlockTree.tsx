/**
 * The recent block tree as a picture: the main chain on the top row, stale and invalid branches
 * on rows below, each block a link to its page. It follows the node live, and stays scrolled to
 * the tip unless the reader has scrolled back to look at something.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { ago, short } from '../../format.ts';
import { useLoad } from '../../node.tsx';
import { href } from '../../router.ts';
import { loadTree, TREE_DEPTHS, type TreeView } from './networkApi.ts';
import { TreeLines } from './TreeLines.tsx';
import { GEOMETRY, layoutTree, type PlacedBlock } from './treeLayout.ts';
import { useLiveReload } from './useLiveReload.ts';

const G = GEOMETRY;

export function BlockTree() {
  const [depth, setDepth] = useState<number>(TREE_DEPTHS[0]);
  const tree = useLoad((client) => loadTree(client, depth), [depth]);
  useLiveReload(tree.reload);
  return (
    <div className="panel block-tree">
      <div className="row tree-controls">
        <label htmlFor="tree-depth">Heights shown</label>
        <select
          id="tree-depth"
          value={depth}
          onChange={(e) => setDepth(Number(e.currentTarget.value))}
        >
          {TREE_DEPTHS.map((d) => (
            <option key={d} value={d}>
              last {d}
            </option>
          ))}
        </select>
        {tree.data && <TreeSummary tree={tree.data} />}
      </div>
      <ErrorNote error={tree.error} title="The block tree could not be loaded." />
      {tree.data && <TreePicture tree={tree.data} />}
      <Legend />
    </div>
  );
}

function TreeSummary({ tree }: { tree: TreeView }) {
  const stale = tree.blocks.filter((b) => !b.main && !b.invalid).length;
  const invalid = tree.blocks.filter((b) => b.invalid).length;
  // A side branch may reach above the tip.
  const top = Math.max(tree.tip_height, ...tree.blocks.map((b) => b.height));
  return (
    <span className="muted">
      heights {tree.from_height} to {top} · <span data-testid="stale-count">{stale}</span> stale
      {invalid > 0 && <>, {invalid} invalid</>}
      {tree.truncated && ' (the oldest side blocks are left out)'}
    </span>
  );
}

function TreePicture({ tree }: { tree: TreeView }) {
  const layout = useMemo(() => layoutTree(tree.blocks, tree.tip_hash), [tree]);
  const scroller = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  // Whether blocks are hidden to the left, to say so: a phone shows no scrollbar until touched.
  const [hiddenLeft, setHiddenLeft] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the picture changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atEnd.current) el.scrollLeft = el.scrollWidth;
    setHiddenLeft(el.scrollLeft > G.left);
  }, [layout]);
  const nowMs = Date.now();
  return (
    <>
      <p className={hiddenLeft ? 'muted small tree-hint' : 'muted small tree-hint unneeded'}>
        Older blocks are to the left: scroll the picture sideways.
      </p>
      <div
        className="tree-scroll"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollLeft + el.clientWidth >= el.scrollWidth - 8;
          setHiddenLeft(el.scrollLeft > G.left);
        }}
      >
        <svg
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          aria-label={`Block tree from height ${tree.from_height} to ${tree.tip_height}`}
          data-testid="block-tree"
        >
          <TreeLines layout={layout} />
          <g className="tree-blocks">
            {layout.blocks.map((placed) => (
              <TreeNode key={placed.block.hash} placed={placed} nowMs={nowMs} />
            ))}
          </g>
        </svg>
      </div>
    </>
  );
}

function TreeNode({ placed, nowMs }: { placed: PlacedBlock; nowMs: number }) {
  const { block, tip, x, y } = placed;
  const kind = block.invalid ? 'invalid' : block.main ? 'main' : 'stale';
  const what = block.invalid
    ? 'invalid: found invalid when connected, never followed'
    : block.main
      ? tip
        ? 'main chain, the tip'
        : 'main chain'
      : 'stale branch: stored, not followed';
  const description = `Block ${block.height} ${short(block.hash)} · ${what} · mined ${ago(block.timestamp_ms, nowMs)}`;
  return (
    <a
      href={href('block', block.hash)}
      className={`tree-block ${kind}${tip ? ' tip' : ''}`}
      aria-label={description}
      data-hash={block.hash}
      data-height={block.height}
      data-main={String(block.main)}
      data-invalid={String(block.invalid)}
      data-tip={String(tip)}
    >
      <title>{`${description}\n${block.hash}`}</title>
      <rect x={x} y={y} width={G.blockWidth} height={G.blockHeight} rx={4} />
      <text x={x + G.blockWidth / 2} y={y + G.blockHeight / 2 + 4}>
        {block.hash.slice(-4)}
      </text>
    </a>
  );
}

function Legend() {
  return (
    <div className="tree-legend">
      <ul>
        <li>
          <Swatch kind="main" /> main chain: the blocks this node follows
        </li>
        <li>
          <Swatch kind="main tip" /> the tip, its newest block
        </li>
        <li>
          <Swatch kind="stale" /> stale branch: blocks it has but does not follow (less work, or
          left behind by a reorg)
        </li>
        <li>
          <Swatch kind="invalid" /> invalid: found to break a rule when connected
        </li>
      </ul>
      <p className="muted">
        Columns are heights, lowest on the left; each line joins a block to its parent, and a line
        from the left edge comes from a block further back. Each box shows the last four characters
        of the block's hash: select it to open the block.
      </p>
    </div>
  );
}

function Swatch({ kind }: { kind: string }) {
  return (
    <svg className="swatch" width="26" height="16" viewBox="0 0 26 16" aria-hidden="true">
      <g className={`tree-block ${kind}`}>
        <rect x="2" y="2" width="22" height="12" rx="3" />
      </g>
    </svg>
  );
}
