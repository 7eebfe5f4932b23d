/**
 * The block page's "Bytes" view: the block's canonical bytes field by field (re-encoded here by
 * the core from the node's JSON, and checked against the node's hash), then its hash worked out
 * step by step. A block with many transactions shows the first few; each has its own page.
 */
import { encodeBlock } from '../../../../../src/core/encoding/block.ts';
import { layoutBlock } from '../../../../../src/core/encoding/fieldLayout.ts';
import type { Block } from '../../../../../src/core/types.ts';
import { href } from '../../../router.ts';
import { ByteInspector } from './ByteInspector.tsx';
import { HashSteps } from './HashSteps.tsx';

const TXS_SHOWN = 4;

export function BlockBytes({
  block,
  hash,
  addressPrefix,
}: {
  block: Block;
  hash: string;
  addressPrefix: string;
}) {
  const bytes = encodeBlock(block);
  const laid = layoutBlock(bytes);
  if (!laid.ok) return <p className="bad">These bytes do not decode: {laid.detail}</p>;
  const shownParts = new Set(['header', 'block']);
  for (let i = 0; i < Math.min(TXS_SHOWN, block.txs.length); i++)
    shownParts.add(`transaction ${i}`);
  const fields = laid.value.filter((f) => shownParts.has(f.part));
  const hidden = block.txs.length - TXS_SHOWN;
  return (
    <section className="bytes-view" aria-labelledby="block-bytes-title">
      <h2 id="block-bytes-title">The block's {bytes.length.toLocaleString('en')} bytes</h2>
      <p className="muted">
        Point at a field to see its bytes, or at bytes to see their field. Integers are big-endian;
        transactions follow each other with no length, each type having its own size.
      </p>
      <ByteInspector fields={fields} addressPrefix={addressPrefix} label="The block" />
      {hidden > 0 && (
        <p className="muted">
          …and {hidden} more {hidden === 1 ? 'transaction' : 'transactions'} (bytes{' '}
          {fields.at(-1)!.offset + fields.at(-1)!.length} to {bytes.length - 1}): open one from the
          list above for its own bytes.
        </p>
      )}
      <h3>From the header to the block's hash</h3>
      <p className="muted">
        Only the 92 header bytes are hashed: the transactions count through the{' '}
        <a href={href('protocol', 'merkle-root')}>merkle root</a>.
      </p>
      <HashSteps header={block.header} claimedHash={hash} />
    </section>
  );
}
