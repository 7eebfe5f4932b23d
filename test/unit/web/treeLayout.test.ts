/**
 * The Network page's block tree layout: columns are heights, the main chain is row 0, stale and
 * invalid branches take rows below it without overlapping, and every block is joined to its
 * parent (or to a stub when the parent is below the window).
 */
import { describe, expect, it } from 'vitest';
import {
  GEOMETRY,
  layoutTree,
  type TreeBlock,
  type TreeLayout,
} from '../../../web/src/pages/network/treeLayout.js';

/** A block named `name` on `parent`; names stand in for hashes. */
function block(name: string, parent: string, height: number, main: boolean, invalid = false) {
  return {
    hash: name,
    prev_hash: parent,
    height,
    main,
    invalid,
    timestamp_ms: 1_000 * height,
    chain_work: `${height + 1}`,
  } satisfies TreeBlock;
}

/** Main blocks m<from>..m<to>, each on the one before (m<from> on `below`). */
function mainChain(from: number, to: number, below = `m${from - 1}`): TreeBlock[] {
  return Array.from({ length: to - from + 1 }, (_, i) =>
    block(`m${from + i}`, i === 0 ? below : `m${from + i - 1}`, from + i, true),
  );
}

/** Side blocks <prefix><from>..<prefix><to>, each on the one before, the first on `parent`. */
function branch(prefix: string, parent: string, from: number, to: number, invalid = false) {
  return Array.from({ length: to - from + 1 }, (_, i) =>
    block(
      `${prefix}${from + i}`,
      i === 0 ? parent : `${prefix}${from + i - 1}`,
      from + i,
      false,
      invalid,
    ),
  );
}

const at = (layout: TreeLayout, hash: string) => {
  const placed = layout.blocks.find((p) => p.block.hash === hash);
  if (!placed) throw new Error(`${hash} is not in the layout`);
  return { column: placed.column, row: placed.row };
};
const rowOf = (layout: TreeLayout, hash: string) => at(layout, hash).row;
const edgeTo = (layout: TreeLayout, hash: string) => layout.edges.find((e) => e.child === hash);

/** Every block has its own cell, and lies inside the picture. */
function expectSound(layout: TreeLayout): void {
  const cells = layout.blocks.map((p) => `${p.column},${p.row}`);
  expect(new Set(cells).size).toBe(cells.length);
  for (const p of layout.blocks) {
    expect(p.x).toBeGreaterThanOrEqual(GEOMETRY.left);
    expect(p.x + GEOMETRY.blockWidth).toBeLessThanOrEqual(layout.width);
    expect(p.y + GEOMETRY.blockHeight).toBeLessThanOrEqual(layout.height);
  }
  for (const edge of layout.edges) {
    for (const [x, y] of edge.points) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(layout.width);
      expect(y).toBeLessThanOrEqual(layout.height);
    }
  }
}

describe('layoutTree', () => {
  it('lays an empty answer out as nothing', () => {
    expect(layoutTree([], 'x')).toMatchObject({ blocks: [], edges: [], rows: 0, width: 0 });
  });

  it('puts a lone chain on one row, a column per height, from genesis with no edge into it', () => {
    const layout = layoutTree([block('m0', '00', 0, true), ...mainChain(1, 3)], 'm3');
    expectSound(layout);
    expect(layout.rows).toBe(1);
    expect(layout.heights).toEqual([0, 1, 2, 3]);
    expect(layout.blocks.map((p) => [p.block.hash, p.column, p.row, p.tip])).toEqual([
      ['m0', 0, 0, false],
      ['m1', 1, 0, false],
      ['m2', 2, 0, false],
      ['m3', 3, 0, true],
    ]);
    expect(layout.edges.map((e) => [e.parent, e.child, e.points.length])).toEqual([
      ['m0', 'm1', 2],
      ['m1', 'm2', 2],
      ['m2', 'm3', 2],
    ]);
    const xs = layout.blocks.map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('starts the lowest block of a window above genesis with a stub from the left', () => {
    const layout = layoutTree(mainChain(40, 42), 'm42');
    expect(layout.heights).toEqual([40, 41, 42]);
    expect(at(layout, 'm40')).toEqual({ column: 0, row: 0 });
    const stub = edgeTo(layout, 'm40')!;
    expect(stub.parent).toBeUndefined();
    expect(stub.points[0]![0]).toBeLessThan(layout.blocks[0]!.x);
  });

  it('draws a reorg: the old blocks on a row below, joined to the fork point by an elbow', () => {
    const blocks = [block('m0', '00', 0, true), ...mainChain(1, 4), ...branch('s', 'm0', 1, 2)];
    const layout = layoutTree(blocks, 'm4');
    expectSound(layout);
    expect(layout.rows).toBe(2);
    expect(at(layout, 's1')).toEqual({ column: 1, row: 1 });
    expect(at(layout, 's2')).toEqual({ column: 2, row: 1 });
    const fork = edgeTo(layout, 's1')!;
    expect(fork.parent).toBe('m0');
    expect(fork.main).toBe(false);
    // Right side of m0, down through the gap between columns 0 and 1, into the left of s1.
    expect(fork.points).toHaveLength(4);
    const [start, , , end] = fork.points;
    const m0 = layout.blocks.find((p) => p.block.hash === 'm0')!;
    const s1 = layout.blocks.find((p) => p.block.hash === 's1')!;
    expect(start).toEqual([m0.x + GEOMETRY.blockWidth, m0.y + GEOMETRY.blockHeight / 2]);
    expect(end).toEqual([s1.x, s1.y + GEOMETRY.blockHeight / 2]);
    expect(fork.points[1]![0]).toBeGreaterThan(start![0]);
    expect(fork.points[1]![0]).toBeLessThan(end![0]);
    expect(edgeTo(layout, 's2')!.points).toHaveLength(2);
  });

  it('gives overlapping branches their own rows, and lets far-apart ones share a row', () => {
    const blocks = [
      block('m0', '00', 0, true),
      ...mainChain(1, 10),
      ...branch('a', 'm0', 1, 3),
      ...branch('b', 'm1', 2, 4), // overlaps a
      ...branch('c', 'm3', 4, 6), // starts right after a ends: would look joined to it
      ...branch('d', 'm6', 7, 8), // a gap column after b and c
    ];
    const layout = layoutTree(blocks, 'm10');
    expectSound(layout);
    expect(rowOf(layout, 'a1')).toBe(1);
    expect(rowOf(layout, 'b2')).toBe(2);
    expect(rowOf(layout, 'c5')).toBe(3);
    expect(rowOf(layout, 'd7')).toBe(1);
    expect(layout.rows).toBe(4);
  });

  it('continues a row with the child reaching highest; its sibling starts a branch of its own', () => {
    const blocks = [
      block('m0', '00', 0, true),
      ...mainChain(1, 6),
      ...branch('s', 'm0', 1, 2),
      block('short3', 's2', 3, false),
      ...branch('long', 's2', 3, 5),
    ];
    const layout = layoutTree(blocks, 'm6');
    expectSound(layout);
    expect(rowOf(layout, 's1')).toBe(1);
    expect(rowOf(layout, 'long3')).toBe(1);
    expect(rowOf(layout, 'long5')).toBe(1);
    expect(rowOf(layout, 'short3')).toBe(2);
    expect(edgeTo(layout, 'short3')!.parent).toBe('s2');
  });

  it('keeps invalid blocks as they are, on a branch of their own', () => {
    const blocks = [
      block('m0', '00', 0, true),
      ...mainChain(1, 2),
      ...branch('x', 'm1', 2, 3, true),
    ];
    const layout = layoutTree(blocks, 'm2');
    expectSound(layout);
    const bad = layout.blocks.filter((p) => p.block.invalid);
    expect(bad.map((p) => [p.block.hash, p.row, p.tip])).toEqual([
      ['x2', 1, false],
      ['x3', 1, false],
    ]);
    // A branch may reach above the tip.
    expect(layout.heights).toEqual([0, 1, 2, 3]);
  });

  it('joins a branch whose fork point is below the window to a stub', () => {
    const blocks = [...mainChain(50, 55), ...branch('old', 'gone', 52, 54)];
    const layout = layoutTree(blocks, 'm55');
    expectSound(layout);
    expect(rowOf(layout, 'old52')).toBe(1);
    expect(edgeTo(layout, 'old52')!.parent).toBeUndefined();
    expect(edgeTo(layout, 'old53')!.parent).toBe('old52');
  });

  it('gives the same picture for the same blocks, call after call', () => {
    const blocks = [block('m0', '00', 0, true), ...mainChain(1, 4), ...branch('s', 'm0', 1, 3)];
    const first = layoutTree(blocks, 'm4');
    layoutTree([...mainChain(9, 12), ...branch('z', 'm9', 10, 12)], 'm12');
    expect(layoutTree(blocks, 'm4')).toEqual(first);
  });
});
