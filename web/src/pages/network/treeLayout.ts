/**
 * Where each block of the recent tree (GET /api/tree) goes in the picture: one column per height,
 * the main chain on the top row, each stale or invalid branch on a row below it. Pure (no DOM,
 * no React), so it is unit tested (test/unit/web/treeLayout.test.ts) and the component only draws.
 *
 * A branch is a run of side blocks, each the child of the one before; where a side block has
 * several children, the one reaching highest continues the row and the others start branches of
 * their own. Branches take the first free row, leaving an empty column between two branches on
 * one row so that they never look joined.
 */

/** A block as GET /api/tree answers it. */
export interface TreeBlock {
  readonly hash: string;
  readonly prev_hash: string;
  readonly height: number;
  readonly main: boolean;
  readonly invalid: boolean;
  readonly timestamp_ms: number;
  readonly chain_work: string;
}

export interface PlacedBlock {
  readonly block: TreeBlock;
  readonly column: number;
  readonly row: number;
  readonly tip: boolean;
  /** The top-left corner of its box. */
  readonly x: number;
  readonly y: number;
}

export interface TreeEdge {
  readonly child: string;
  /** Undefined when the parent is not in the picture (below the window): a stub from the left. */
  readonly parent: string | undefined;
  /** The points of the line, parent's side first: an elbow through the gap between columns. */
  readonly points: readonly (readonly [number, number])[];
  readonly main: boolean;
}

export interface TreeLayout {
  readonly blocks: readonly PlacedBlock[];
  readonly edges: readonly TreeEdge[];
  /** The heights of the columns, lowest first. */
  readonly heights: readonly number[];
  readonly rows: number;
  readonly width: number;
  readonly height: number;
}

export const GEOMETRY = {
  blockWidth: 48,
  blockHeight: 28,
  columnGap: 20,
  rowGap: 16,
  /** Room on the left for stubs to parents below the window. */
  left: 20,
  /** Room on top for the height labels. */
  top: 24,
  padding: 8,
} as const;

const G = GEOMETRY;
/** The left edge of a column's blocks. */
export const columnX = (column: number) => G.left + column * (G.blockWidth + G.columnGap);
const rowY = (row: number) => G.top + row * (G.blockHeight + G.rowGap);

export function layoutTree(blocks: readonly TreeBlock[], tipHash: string): TreeLayout {
  if (blocks.length === 0)
    return { blocks: [], edges: [], heights: [], rows: 0, width: 0, height: 0 };
  const byHash = new Map(blocks.map((b) => [b.hash, b]));
  let minHeight = Number.POSITIVE_INFINITY;
  let maxHeight = Number.NEGATIVE_INFINITY;
  for (const b of blocks) {
    minHeight = Math.min(minHeight, b.height);
    maxHeight = Math.max(maxHeight, b.height);
  }

  const rowOf = new Map<string, number>();
  for (const b of blocks) if (b.main) rowOf.set(b.hash, 0);
  // NOTE: branches come lowest start first, so each row fills left to right and its last
  // height is all there is to know about it.
  const rowEnds: number[] = [];
  for (const branch of sideBranches(blocks, byHash)) {
    const row = rowFor(branch[0]!.height, branch[branch.length - 1]!.height);
    for (const b of branch) rowOf.set(b.hash, row);
  }

  const placed = blocks.map((block): PlacedBlock => {
    const column = block.height - minHeight;
    const row = rowOf.get(block.hash)!;
    return { block, column, row, tip: block.hash === tipHash, x: columnX(column), y: rowY(row) };
  });
  const placedByHash = new Map(placed.map((p) => [p.block.hash, p]));
  const edges = placed.flatMap((child): TreeEdge[] => {
    if (child.block.height === 0) return [];
    const parent = placedByHash.get(child.block.prev_hash);
    const toX = child.x;
    const toY = child.y + G.blockHeight / 2;
    if (!parent) {
      return [
        {
          child: child.block.hash,
          parent: undefined,
          points: [
            [toX - G.columnGap, toY],
            [toX, toY],
          ],
          main: child.block.main,
        },
      ];
    }
    const fromX = parent.x + G.blockWidth;
    const fromY = parent.y + G.blockHeight / 2;
    const midX = toX - G.columnGap / 2;
    const points: [number, number][] =
      fromY === toY
        ? [
            [fromX, fromY],
            [toX, toY],
          ]
        : [
            [fromX, fromY],
            [midX, fromY],
            [midX, toY],
            [toX, toY],
          ];
    return [{ child: child.block.hash, parent: parent.block.hash, points, main: child.block.main }];
  });

  const rows = 1 + Math.max(0, ...placed.map((p) => p.row));
  const columns = maxHeight - minHeight + 1;
  return {
    blocks: placed,
    edges,
    heights: Array.from({ length: columns }, (_, i) => minHeight + i),
    rows,
    width: columnX(columns) - G.columnGap + G.padding,
    height: rowY(rows) - G.rowGap + G.padding,
  };

  /** The first row below the main chain free from one column before `from` through `to`. */
  function rowFor(from: number, to: number): number {
    for (let row = 1; ; row++) {
      const end = rowEnds[row];
      if (end === undefined || end < from - 1) {
        rowEnds[row] = to;
        return row;
      }
    }
  }
}

/** The side blocks cut into branches (each lowest first), by the height where they start. */
function sideBranches(
  blocks: readonly TreeBlock[],
  byHash: ReadonlyMap<string, TreeBlock>,
): TreeBlock[][] {
  const side = blocks.filter((b) => !b.main);
  const children = new Map<string, TreeBlock[]>();
  for (const b of side) {
    const list = children.get(b.prev_hash);
    if (list) list.push(b);
    else children.set(b.prev_hash, [b]);
  }
  // The highest height each side block's descendants reach, highest blocks first.
  const reach = new Map<string, number>();
  for (const b of [...side].sort((x, y) => y.height - x.height)) {
    const below = children.get(b.hash) ?? [];
    reach.set(b.hash, Math.max(b.height, ...below.map((c) => reach.get(c.hash)!)));
  }
  const isRoot = (b: TreeBlock) => byHash.get(b.prev_hash)?.main !== false;
  const starts = side.filter(isRoot).sort((x, y) => x.height - y.height);
  const branches: TreeBlock[][] = [];
  const queue = [...starts];
  for (let start = queue.shift(); start; start = queue.shift()) {
    const branch = [start];
    for (;;) {
      const next = [...(children.get(branch[branch.length - 1]!.hash) ?? [])];
      if (next.length === 0) break;
      // Stable: the first listed wins a tie (the API lists blocks as the node first saw them).
      next.sort((x, y) => reach.get(y.hash)! - reach.get(x.hash)!);
      branch.push(next[0]!);
      queue.push(...next.slice(1));
    }
    branches.push(branch);
  }
  return branches.sort((x, y) => x[0]!.height - y[0]!.height);
}
