/**
 * One block: its header, whether it is on the main chain, and every transaction. Confirmations
 * count up live. A block is found by height (main chain) or by hash (any branch the node holds).
 */
import { useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { BlockLink } from '../../components/Links.tsx';
import { ago, dateTime } from '../../format.ts';
import { useLoad, useNode } from '../../node.tsx';
import { href } from '../../router.ts';
import { blockFromView } from '../tamper/loadWindow.ts';
import { type BlockDetail, fetchBlock } from './api.ts';
import { BlockBytes } from './bytes/BlockBytes.tsx';
import { type Shown, ViewSwitch } from './bytes/ViewSwitch.tsx';
import { TxTable } from './TxTable.tsx';
import './explorer.css';

export function BlockPage({ id }: { id: string }) {
  const { info } = useNode();
  const [view, setView] = useState<Shown>('fields');
  const { data, error } = useLoad((client) => fetchBlock(client, id), [id], ['block', 'reorg']);
  const title = /^\d+$/.test(id) ? `Block #${id}` : 'Block';
  if (!data) {
    return (
      <section>
        <h1>{title}</h1>
        {error ? (
          <ErrorNote error={error} title={`No block “${id}” here.`} />
        ) : (
          <p className="muted">Loading…</p>
        )}
        <p>
          <a href={href('explorer')}>Back to the latest blocks</a>
        </p>
      </section>
    );
  }
  const tipHeight = info?.height ?? data.height + data.confirmations - 1;
  return (
    <section aria-labelledby="block-title">
      <h1 id="block-title">
        Block #{data.height}{' '}
        {data.main_chain ? (
          <span className="badge good">main chain</span>
        ) : (
          <span className="badge warn">stale: not on the main chain</span>
        )}
      </h1>
      <ErrorNote error={error} title="Could not refresh this block." />
      {data.stale && <StaleNote block={data} stale={data.stale} />}
      <nav className="row pager" aria-label="Neighbouring blocks">
        {data.height > 0 && (
          <a className="button" href={href('block', data.prev_hash)}>
            ← Previous block
          </a>
        )}
        {data.main_chain && data.height < tipHeight && (
          <a className="button" href={href('block', data.height + 1)}>
            Next block →
          </a>
        )}
      </nav>
      <ViewSwitch view={view} onChange={setView} />
      {view === 'fields' || !info ? (
        <HeaderFields block={data} />
      ) : (
        <BlockBytes
          block={blockFromView(data, info.address_prefix)}
          hash={data.hash}
          addressPrefix={info.address_prefix}
        />
      )}
      <h2>
        {data.transactions.length} {data.transactions.length === 1 ? 'transaction' : 'transactions'}
      </h2>
      <TxTable txs={data.transactions} label="Transactions in this block" />
    </section>
  );
}

function HeaderFields({ block }: { block: BlockDetail }) {
  return (
    <dl className="fields panel">
      <dt>Height</dt>
      <dd>{block.height}</dd>
      <dt>Hash</dt>
      <dd className="mono">{block.hash}</dd>
      <dt>Previous hash</dt>
      <dd>
        {block.height > 0 ? (
          <BlockLink id={block.prev_hash} label={block.prev_hash} />
        ) : (
          '— (genesis)'
        )}
      </dd>
      <dt>Merkle root</dt>
      <dd className="mono">{block.merkle_root}</dd>
      <dt>Time</dt>
      <dd>
        {dateTime(block.timestamp_ms)} <span className="muted">({block.timestamp_ms} ms)</span>
      </dd>
      <dt>Bits</dt>
      <dd className="mono">
        {block.bits} (0x{block.bits.toString(16).padStart(8, '0')})
      </dd>
      <dt>Target</dt>
      <dd className="mono">{block.target}</dd>
      <dt>Nonce</dt>
      <dd className="mono">{block.nonce}</dd>
      <dt>Confirmations</dt>
      <dd data-testid="confirmations">
        {block.main_chain ? block.confirmations : '0 (not on the main chain)'}
      </dd>
      <dt>Version</dt>
      <dd>{block.version}</dd>
    </dl>
  );
}

/** Why a block is off the main chain: what stands at its height now, and the reorg that did it. */
function StaleNote({
  block,
  stale,
}: {
  block: BlockDetail;
  stale: NonNullable<BlockDetail['stale']>;
}) {
  return (
    <div className="notice stale-note" data-testid="stale-note">
      {stale.replaced_by ? (
        <p>
          Replaced: the main chain's block at height {block.height} is{' '}
          <BlockLink id={stale.replaced_by.hash} label={stale.replaced_by.hash} />. Its transactions
          count only as far as that branch holds them too.
        </p>
      ) : (
        <p>
          The main chain is not this high: this block is on a branch with less work than the main
          chain.
        </p>
      )}
      {stale.reorg ? (
        <p>
          Reorganisation #{stale.reorg.seq} left it behind {ago(stale.reorg.at_ms)} (
          {stale.reorg.depth} {stale.reorg.depth === 1 ? 'block' : 'blocks'} deep), when the node
          moved to the tip <BlockLink id={stale.reorg.new_tip} />.
        </p>
      ) : (
        <p className="muted">
          It was never on this node's main chain, or it left it before the node last started.
        </p>
      )}
    </div>
  );
}
