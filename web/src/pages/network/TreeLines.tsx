/**
 * What every block-tree picture draws under its blocks: the height above each column and the
 * line from each block to its parent (a stub from the left edge when the parent is further
 * back). The network page's BlockTree and the Lab page's merged LabTree draw their blocks their
 * own way (a link to the block page; the colour of the node that found it) over these.
 */
import { columnX, GEOMETRY, type TreeLayout } from './treeLayout.ts';

export function TreeLines({ layout }: { layout: TreeLayout }) {
  return (
    <>
      <g className="tree-heights">
        {layout.heights.map((height, column) => (
          <text key={height} x={columnX(column) + GEOMETRY.blockWidth / 2} y={14}>
            {height}
          </text>
        ))}
      </g>
      <g className="tree-edges">
        {layout.edges.map((edge) => (
          <path
            key={edge.child}
            className={[
              'tree-edge',
              edge.main ? 'main' : 'side',
              edge.parent === undefined ? 'stub' : '',
            ].join(' ')}
            d={edge.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join(' ')}
          />
        ))}
      </g>
    </>
  );
}
