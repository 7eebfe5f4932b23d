/** Block headers as rows, newest first; rows in `fresh` (by hash) are marked as just arrived. */
import { useEffect, useRef, useState } from 'react';
import { AddressLink, BlockLink } from '../../components/Links.tsx';
import { ago, coins, dateTime } from '../../format.ts';
import type { BlockRow } from './api.ts';
import './explorer.css';

export function BlocksTable({
  blocks,
  label,
  fresh,
}: {
  blocks: readonly BlockRow[];
  label: string;
  fresh?: ReadonlySet<string>;
}) {
  return (
    <div className="table-scroll">
      <table aria-label={label} className="blocks-table">
        <thead>
          <tr>
            <th>Height</th>
            <th>Hash</th>
            <th>Mined</th>
            <th className="num">Txs</th>
            <th className="hide-narrow">Mined by</th>
            <th className="num hide-narrow">Fees (coins)</th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((block) => (
            <tr key={block.hash} className={fresh?.has(block.hash) ? 'fresh' : undefined}>
              <td>
                <BlockLink id={block.height} />
              </td>
              <td>
                <BlockLink id={block.hash} />
              </td>
              <td title={dateTime(block.timestamp_ms)}>{ago(block.timestamp_ms)}</td>
              <td className="num">{block.tx_count}</td>
              <td className="hide-narrow">
                {block.mined_by ? <AddressLink address={block.mined_by} /> : '—'}
              </td>
              <td className="num hide-narrow">{coins(block.fees)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The hashes that the latest `blocks` bringing any new ones brought: those not in any earlier
 * `blocks` this component saw (none on the first). A reload that brings nothing new keeps them.
 */
export function useFreshHashes(blocks: readonly BlockRow[] | undefined): ReadonlySet<string> {
  const seen = useRef<Set<string>>(undefined);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    if (!blocks) return;
    const before = seen.current;
    const added = blocks.map((b) => b.hash).filter((h) => !before?.has(h));
    if (before && added.length > 0) setFresh(new Set(added));
    seen.current = new Set([...(before ?? []), ...blocks.map((b) => b.hash)]);
  }, [blocks]);
  return fresh;
}
