/**
 * One block on the Tamper page, as a card like those of Anders Brownworth's demo: its header with
 * the editable fields, the hash recomputed on every edit, its transactions, and a verdict in
 * words with every reason. Mine searches a new nonce in the browser; Reset drops this block's edits.
 */
import { useState } from 'react';
import { href } from '../../router.ts';
import { HeaderFields } from './HeaderFields.tsx';
import { SendToNode } from './SendToNode.tsx';
import { TxEditor } from './TxEditor.tsx';
import type { BlockEdit, TamperedBlock, TxEdit } from './tamperModel.ts';
import { count, type Mining } from './useMining.ts';

const SHOWN_TXS = 8;

interface Props {
  block: TamperedBlock;
  prefix: string;
  mining: Mining;
  onMine: () => void;
  onEdit: (patch: BlockEdit) => void;
  onEditTx: (index: number, patch: TxEdit) => void;
  onReset: () => void;
}

export function BlockCard({ block, prefix, mining, onMine, onEdit, onEditTx, onReset }: Props) {
  const { header, original, failures, valid } = block;
  const height = header.height;
  const [showAll, setShowAll] = useState(false);
  const run = mining.run?.height === height ? mining.run : undefined;
  const txs = showAll ? block.txs : block.txs.slice(0, SHOWN_TXS);
  const titleId = `tamper-title-${height}`;
  return (
    <article
      className={valid ? 'tamper-card valid' : 'tamper-card invalid'}
      aria-labelledby={titleId}
      data-testid={`tamper-block-${height}`}
    >
      <div className="tamper-card-head">
        <h2 id={titleId}>Block {height}</h2>
        <a href={href('block', height)} className="explorer-link">
          in the explorer
        </a>
        <span className={valid ? 'verdict good' : 'verdict bad'} data-testid="verdict">
          {valid ? '✓ Valid' : '✗ Invalid'}
        </span>
      </div>
      {failures.length > 0 && (
        <ul className="failures" aria-label={`Why block ${height} is invalid`}>
          {failures.map((f) => (
            <li key={f.text} data-code={f.code}>
              {f.text}
            </li>
          ))}
        </ul>
      )}
      <fieldset disabled={run !== undefined}>
        <legend className="visually-hidden">Block {height}'s fields</legend>
        <div className="tamper-body">
          <HeaderFields block={block} onEdit={onEdit} />
          <div className="tamper-txs">
            <h3>Transactions ({block.txs.length})</h3>
            <ol>
              {txs.map((item, i) => (
                <TxEditor
                  // biome-ignore lint/suspicious/noArrayIndexKey: a block's transactions never move.
                  key={i}
                  index={i}
                  item={item}
                  original={original.txs[i]!}
                  prefix={prefix}
                  onEdit={(patch) => onEditTx(i, patch)}
                />
              ))}
            </ol>
            {!showAll && block.txs.length > SHOWN_TXS && (
              <button type="button" onClick={() => setShowAll(true)}>
                Show all {block.txs.length} transactions
              </button>
            )}
          </div>
        </div>
      </fieldset>
      <div className="row tamper-actions">
        {run ? (
          <button type="button" className="danger" onClick={mining.cancel}>
            Cancel mining block {height}
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={mining.run !== undefined}
            onClick={onMine}
          >
            Mine block {height}
          </button>
        )}
        <button type="button" onClick={onReset} disabled={run !== undefined}>
          Reset block {height}
        </button>
        <SendToNode block={block} disabled={run !== undefined} />
        <span role="status" className="muted">
          {run
            ? `Trying nonces: ${count(run.tries)} so far (about ${count(run.expected)} needed on average; gives up at ${count(run.maxTries)}).`
            : mining.notes[height]}
        </span>
      </div>
    </article>
  );
}
