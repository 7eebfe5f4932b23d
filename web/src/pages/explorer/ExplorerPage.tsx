/**
 * The latest blocks, twenty to a page. The first page follows the chain live: a block connected
 * (or a reorg) reloads it, and new rows are marked. Older pages hold still.
 */
import { useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useLoad, useNode } from '../../node.tsx';
import { fetchBlocks } from './api.ts';
import { BlocksTable, useFreshHashes } from './BlocksTable.tsx';
import { ChainCharts } from './ChainCharts.tsx';
import { NextBlock } from './NextBlock.tsx';

export function ExplorerPage() {
  const { info } = useNode();
  // The before_height of each page shown so far; the last is the current page.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const latest = before === undefined;
  const { data, error, loading } = useLoad(
    (client) => fetchBlocks(client, before),
    [before],
    latest ? ['block', 'reorg'] : [],
  );
  const fresh = useFreshHashes(latest && !loading ? data?.blocks : undefined);
  const next = data?.next_before_height ?? null;

  return (
    <section aria-labelledby="explorer-title">
      <h1 id="explorer-title">Explorer</h1>
      <p className="muted">
        {info ? (
          <>
            {info.network} · {info.height + 1} blocks · {info.mempool_size} pending{' '}
            {info.mempool_size === 1 ? 'transaction' : 'transactions'}
          </>
        ) : (
          'Loading…'
        )}
      </p>
      <h2>{latest ? 'Latest blocks' : `Blocks below height ${before}`}</h2>
      <ErrorNote error={error} title="Could not load the blocks." />
      {data && <BlocksTable blocks={data.blocks} label="Blocks" fresh={fresh} />}
      {!data && loading && <p className="muted">Loading…</p>}
      <nav className="row pager" aria-label="Block pages">
        <button type="button" disabled={latest} onClick={() => setCursors([undefined])}>
          Latest
        </button>
        <button type="button" disabled={latest} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={next === null || loading}
          onClick={() => next !== null && setCursors([...cursors, next])}
        >
          Older
        </button>
      </nav>
      {latest && <NextBlock />}
      {latest && <ChainCharts />}
    </section>
  );
}
