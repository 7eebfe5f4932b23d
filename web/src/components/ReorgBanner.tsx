/**
 * On every page: when the node reorganises, what happened, in words and coins. It shows the
 * newest reorganisation the node tells of (its `reorg` event, or GET /api/reorgs on load if one
 * happened in the last ten minutes) until dismissed: which blocks were left behind and what
 * replaced them, which transfers went back to the pool, and which were dropped and why.
 */
import { useEffect, useState } from 'react';
import type { Answer } from '../../../src/api/client.ts';
import { ago, dateTime } from '../format.ts';
import { useNode, useNodeEvents } from '../node.tsx';
import { coinAmount } from '../pages/explorer/coinAmount.ts';
import { BlockLink, TxLink } from './Links.tsx';

export type Reorg = Answer<'reorgs'>['reorgs'][number];
type Touched = Reorg['returned'][number];

const RECENT_MS = 10 * 60_000;

export function ReorgBanner() {
  const { client } = useNode();
  const [reorg, setReorg] = useState<Reorg>();
  const [dismissed, setDismissed] = useState<number>();
  useNodeEvents(['reorg'], (_type, data) => setReorg(data as Reorg));
  useEffect(() => {
    client.request('reorgs', { query: { limit: 1 } }).then(
      ({ reorgs: [latest] }) => {
        if (latest && Date.now() - latest.at_ms < RECENT_MS) setReorg((shown) => shown ?? latest);
      },
      () => undefined, // the connection banner tells of a node that does not answer
    );
  }, [client]);
  if (!reorg || reorg.seq === dismissed) return null;
  return (
    <div className="banner">
      <section className="reorg-banner" aria-label="Reorganisation" data-testid="reorg-banner">
        <button
          type="button"
          className="dismiss"
          aria-label="Dismiss"
          onClick={() => setDismissed(reorg.seq)}
        >
          ×
        </button>
        <ReorgStory reorg={reorg} />
      </section>
    </div>
  );
}

export function ReorgStory({ reorg }: { reorg: Reorg }) {
  const blocks = reorg.depth === 1 ? 'block' : 'blocks';
  return (
    <>
      <p>
        <strong>Reorganisation: </strong>
        the node switched to a branch with more work, {reorg.depth} {blocks} deep, from block{' '}
        <BlockLink id={reorg.fork_hash} label={`#${reorg.fork_height}`} /> on.{' '}
        <span className="muted" title={dateTime(reorg.at_ms)}>
          ({ago(reorg.at_ms)})
        </span>
      </p>
      <ul className="reorg-facts">
        {reorg.left_behind.map((b) => (
          <li key={b.hash}>
            Block <BlockLink id={b.hash} label={`#${b.height} ${b.hash.slice(0, 8)}`} /> was left
            behind
            {b.replaced_by ? (
              <>
                , replaced by{' '}
                <BlockLink
                  id={b.replaced_by.hash}
                  label={`#${b.replaced_by.height} ${b.replaced_by.hash.slice(0, 8)}`}
                />
              </>
            ) : null}
            .
          </li>
        ))}
        {reorg.returned.map((t) => (
          <li key={t.id}>
            <Payment tx={t} /> went back to the mempool, waiting for a block again.
          </li>
        ))}
        {reorg.reconfirmed.map((t) => (
          <li key={t.id}>
            <Payment tx={t} /> is in the new branch too, in block{' '}
            <BlockLink id={t.now_in.hash} label={`#${t.now_in.height}`} />.
          </li>
        ))}
        {reorg.dropped.map((t) => (
          <li key={t.id} className="bad-fact">
            <Payment tx={t} /> was dropped
            {t.conflicts_with ? (
              <>
                : it conflicts with <TxLink id={t.conflicts_with} />, which the new branch confirmed
                (same sender, same nonce {t.nonce}). Only one of them can count.
              </>
            ) : (
              <>: {t.message}</>
            )}{' '}
            <code>{t.code}</code>
          </li>
        ))}
        {reorg.returned.length + reorg.reconfirmed.length + reorg.dropped.length === 0 && (
          <li>No transfer was in the blocks left behind; only their rewards are gone.</li>
        )}
      </ul>
    </>
  );
}

function Payment({ tx }: { tx: Touched }) {
  return (
    <>
      The payment <TxLink id={tx.id} /> of {coinAmount(tx.amount)}
    </>
  );
}
