/**
 * The window of blocks being tampered with: the visitor's edits, the model recomputed from them
 * on every change (tamperModel.ts), and between each two cards the link that ties them. All of
 * it stays in this tab: nothing is sent to the node.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { toHex } from '../../../../src/core/bytes.ts';
import { nobleVerify } from '../../../../src/core/nobleEd25519.ts';
import type { Block, BlockHeader } from '../../../../src/core/types.ts';
import { short } from '../../format.ts';
import { BlockCard } from './BlockCard.tsx';
import {
  type BlockEdit,
  type Edits,
  minedEdit,
  mineHeader,
  type SignatureCache,
  type TamperedBlock,
  type TxEdit,
  tamper,
} from './tamperModel.ts';
import { useMining } from './useMining.ts';

export function TamperChain({ blocks, prefix }: { blocks: readonly Block[]; prefix: string }) {
  const [edits, setEdits] = useState<Edits>({});
  const cache = useRef<SignatureCache>(new Map());
  const result = useMemo(() => tamper(blocks, edits, nobleVerify, cache.current), [blocks, edits]);

  const editBlock = useCallback((height: number, patch: BlockEdit) => {
    setEdits((all) => ({ ...all, [height]: { ...all[height], ...patch } }));
  }, []);
  const editTx = useCallback((height: number, index: number, patch: TxEdit) => {
    setEdits((all) => {
      const edit = all[height] ?? {};
      const txs = { ...edit.txs, [index]: { ...edit.txs?.[index], ...patch } };
      return { ...all, [height]: { ...edit, txs } };
    });
  }, []);
  const mining = useMining(
    useCallback((height: number, header: BlockHeader, nonce: bigint) => {
      setEdits((all) => ({ ...all, [height]: minedEdit(all[height], header, nonce) }));
    }, []),
  );

  const resetBlock = (height: number) => {
    setEdits(({ [height]: _dropped, ...rest }) => rest);
    mining.forget([height]);
  };
  const resetAll = () => {
    setEdits({});
    mining.forget();
  };
  const edited = Object.keys(edits).length > 0;
  return (
    <>
      <div className="row tamper-summary">
        <span role="status">
          {result.every((b) => b.valid)
            ? `All ${result.length} blocks are valid.`
            : `${result.filter((b) => !b.valid).length} of ${result.length} blocks are invalid.`}
        </span>
        <button type="button" onClick={resetAll} disabled={!edited || mining.run !== undefined}>
          Reset all
        </button>
      </div>
      <ChainStrip blocks={result} />
      <ol className="tamper-chain">
        {result.map((block, i) => (
          <li key={block.header.height}>
            {i > 0 && <LinkNote parent={result[i - 1]!} child={block} />}
            <BlockCard
              block={block}
              prefix={prefix}
              mining={mining}
              onMine={() => mining.start(block.header.height, mineHeader(block))}
              onEdit={(patch) => editBlock(block.header.height, patch)}
              onEditTx={(index, patch) => editTx(block.header.height, index, patch)}
              onReset={() => resetBlock(block.header.height)}
            />
          </li>
        ))}
      </ol>
    </>
  );
}

/** The link between two cards: the child's prev_hash against the parent's hash as it now is. */
function LinkNote({ parent, child }: { parent: TamperedBlock; child: TamperedBlock }) {
  const linked = toHex(child.header.prevHash) === toHex(parent.hash);
  const p = parent.header.height;
  const c = child.header.height;
  return (
    <p className={linked ? 'tamper-link good' : 'tamper-link bad'} data-testid={`link-${c}`}>
      {linked
        ? `✓ Linked: block ${c}'s previous hash is block ${p}'s hash.`
        : `✗ Broken link: block ${c} points at ${short(toHex(child.header.prevHash), 6)}, but block ${p}'s hash is now ${short(toHex(parent.hash), 6)}.`}
    </p>
  );
}

/**
 * The whole window at a glance, one chip a block with its verdict and the link to the one
 * before: on a phone, where the cards are swiped one at a time, the chain breaking is still seen
 * on one screen. A chip brings its card into view.
 */
function ChainStrip({ blocks }: { blocks: readonly TamperedBlock[] }) {
  const show = (height: number) =>
    document
      .querySelector(`[data-testid="tamper-block-${height}"]`)
      ?.scrollIntoView({ behavior: 'smooth', block: 'nearest', inline: 'start' });
  return (
    <ol className="chain-strip" aria-label="The chain at a glance" data-testid="chain-strip">
      {blocks.map((block, i) => {
        const parent = blocks[i - 1];
        const linked = parent && toHex(block.header.prevHash) === toHex(parent.hash);
        const height = block.header.height;
        return (
          <li key={height}>
            {parent && (
              <span
                className={linked ? 'strip-link good' : 'strip-link bad'}
                title={linked ? 'linked' : 'broken link'}
              >
                {linked ? '→' : '↛'}
              </span>
            )}
            <button
              type="button"
              className={block.valid ? 'strip-block good' : 'strip-block bad'}
              onClick={() => show(height)}
              aria-label={`Block ${height}: ${block.valid ? 'valid' : 'invalid'}${parent && !linked ? ', its link broken' : ''}`}
            >
              #{height} {block.valid ? '✓' : '✗'}
              <span className="mono">{toHex(block.hash).slice(0, 6)}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
