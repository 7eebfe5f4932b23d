/**
 * The lesson's last step (issue 15, point 5): the edited block, as its canonical bytes, sent to
 * the real node (POST /api/blocks), whose answer is shown: the refusal with its code for a
 * tampered block (POW_INSUFFICIENT_WORK until it is re-mined, a broken signature, …), or what it
 * did with a valid-looking one. A re-mined block no heavier than the node's chain is only kept
 * aside, unchecked against balances and the coinbase's limit (as Bitcoin Core does), so the page
 * then offers the real test: mine, in the browser, enough blocks on top of it to outweigh the
 * node's chain and send them; the node must then connect the edited block, checks it in full,
 * and refuses it for what is really wrong (BLOCK_COINBASE_TOO_LARGE for "1,000 coins to me").
 */
import { useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { toHex } from '../../../../src/core/bytes.ts';
import { encodeBlock } from '../../../../src/core/encoding/block.ts';
import type { Block } from '../../../../src/core/types.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useNode } from '../../node.tsx';
import { blockOnTop, blocksToOutweigh } from './blockOnTop.ts';
import { mineNonce } from './mineNonce.ts';
import type { TamperedBlock } from './tamperModel.ts';

type Step = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'answer'; text: string };

export function SendToNode({ block, disabled }: { block: TamperedBlock; disabled: boolean }) {
  const { client, info } = useNode();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [kept, setKept] = useState(false);
  const [error, setError] = useState<ClientError>();
  const height = block.header.height;
  const edited: Block = { header: block.header, txs: block.txs.map((t) => t.tx) };
  const submit = (b: Block) =>
    client.request('submitBlock', { body: { hex: toHex(encodeBlock(b)) } });

  async function run(work: () => Promise<string>) {
    setError(undefined);
    try {
      setStep({ kind: 'answer', text: await work() });
    } catch (e) {
      setStep({ kind: 'idle' });
      setKept(false);
      setError(asClientError(e));
    }
  }

  const send = () =>
    run(async () => {
      setKept(false);
      setStep({ kind: 'busy', text: 'Sending…' });
      const result = await submit(edited);
      if (result.status === 'duplicate')
        return 'The node already has this very block: nothing was changed.';
      if (result.status === 'side') {
        setKept(true);
        return 'The node kept it aside, as a competing branch no heavier than its own chain: its proof of work and signatures hold, but balances and the coinbase’s limit are checked only when a branch carries more work. Its chain did not change. Give this branch more work to see what the node really thinks of it:';
      }
      return `The node took it (${result.status}).`;
    });

  const outweigh = () =>
    run(async () => {
      const count = blocksToOutweigh(height, info?.height ?? height);
      const payTo = edited.txs[0]?.to ?? new Uint8Array(32);
      let parent = edited.header;
      for (let i = 1; i <= count; i++) {
        const next = blockOnTop(parent, payTo, edited.txs[0]?.chainId ?? 0, Date.now());
        setStep({ kind: 'busy', text: `Mining block ${i} of ${count} on top, in this browser…` });
        const mined = await mineNonce(next.header);
        if (mined.status !== 'found')
          return 'Mining gave up: this target is too hard for a browser tab.';
        const header = { ...next.header, nonce: mined.nonce };
        setStep({ kind: 'busy', text: `Sending block ${header.height}…` });
        const result = await submit({ header, txs: next.txs });
        parent = header;
        if (result.status === 'connected') {
          setKept(false);
          return `The node switched to your branch at block ${header.height}: nothing in the edited block breaks a rule, so it is now the node's chain.`;
        }
      }
      return 'The node kept them all aside: the branch is still no heavier than its chain (blocks were mined meanwhile). Try again.';
    });

  const busy = step.kind === 'busy';
  return (
    <div className="send-to-node" data-testid={`send-${height}`}>
      <button type="button" onClick={send} disabled={busy || disabled}>
        {busy ? step.text : `Send block ${height} to the node`}
      </button>
      {step.kind === 'answer' && (
        <p className="notice" role="status">
          {step.text}
        </p>
      )}
      {kept && step.kind !== 'busy' && (
        <button type="button" className="primary" onClick={outweigh} disabled={disabled}>
          Mine {blocksToOutweigh(height, info?.height ?? height)} on top and send them
        </button>
      )}
      <ErrorNote error={error} title={`The node refused block ${height}.`} />
    </div>
  );
}
