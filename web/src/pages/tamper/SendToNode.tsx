/**
 * The lesson's last step (issue 15, point 5): the edited block, as its canonical bytes, sent to
 * the real node (POST /api/blocks), whose answer is shown: the refusal with its code for a
 * tampered block (POW_INSUFFICIENT_WORK until it is re-mined, a broken signature, …), or what it
 * did with a valid-looking one. NOTE: a re-mined block no heavier than the node's chain is kept
 * as a side branch, unchecked against balances and the coinbase's limit until its branch
 * carries more work (as Bitcoin Core does); the page says so rather than pretend a refusal.
 */
import { useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { toHex } from '../../../../src/core/bytes.ts';
import { encodeBlock } from '../../../../src/core/encoding/block.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useNode } from '../../node.tsx';
import type { TamperedBlock } from './tamperModel.ts';

export function SendToNode({ block, disabled }: { block: TamperedBlock; disabled: boolean }) {
  const { client } = useNode();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<string>();
  const [error, setError] = useState<ClientError>();
  const height = block.header.height;

  async function send() {
    setBusy(true);
    setAnswer(undefined);
    setError(undefined);
    try {
      const hex = toHex(encodeBlock({ header: block.header, txs: block.txs.map((t) => t.tx) }));
      const result = await client.request('submitBlock', { body: { hex } });
      setAnswer(
        result.status === 'duplicate'
          ? 'The node already has this very block: nothing was changed.'
          : result.status === 'side'
            ? 'The node kept it aside, as a competing branch no heavier than its own chain: its proof of work and signatures hold, and balances and the coinbase’s limit are checked only if that branch ever carries more work. Its chain did not change.'
            : `The node took it (${result.status}).`,
      );
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="send-to-node" data-testid={`send-${height}`}>
      <button type="button" onClick={send} disabled={busy || disabled}>
        {busy ? 'Sending…' : `Send block ${height} to the node`}
      </button>
      {answer && (
        <p className="notice" role="status">
          {answer}
        </p>
      )}
      <ErrorNote error={error} title={`The node refused block ${height}.`} />
    </div>
  );
}
