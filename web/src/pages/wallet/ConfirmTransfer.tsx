/**
 * The last look before a transfer leaves the browser: exactly the fields the signature covers
 * (describeTransfer), the node it goes to, and Send or Cancel. Only the signed transfer is
 * sent; the key that signed it stays here.
 */
import { useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { createClient } from '../../../../src/api/client.ts';
import {
  describeTransfer,
  type SignedTransfer,
  type WalletNetwork,
} from '../../../../src/wallet/index.ts';
import { asClientError } from '../../node.tsx';
import { Dialog } from './Dialog.tsx';
import type { Sent } from './SentTransfers.tsx';

export function ConfirmTransfer({
  signed,
  network,
  nodeUrl,
  onClose,
  onSent,
  onFailed,
}: {
  signed: SignedTransfer;
  network: WalletNetwork;
  nodeUrl: string;
  onClose: () => void;
  onSent: (sent: Sent) => void;
  onFailed: (error: ClientError) => void;
}) {
  const [sending, setSending] = useState(false);
  const shown = describeTransfer(signed.tx, network);

  const send = async () => {
    setSending(true);
    const client = createClient({ baseUrl: nodeUrl });
    try {
      const answer = await client.submitTx(signed.json);
      onSent({ id: answer.id, tx: signed.json, nodeUrl: client.baseUrl, sentAtMs: Date.now() });
    } catch (error) {
      onFailed(asClientError(error));
    }
  };

  return (
    <Dialog title="Confirm the transfer" onClose={onClose} busy={sending}>
      <p className="muted">
        Your key signed exactly this. Nothing has left the browser yet; “Send” gives the signed
        transfer to the node.
      </p>
      <dl className="fields confirm" data-testid="confirm-fields">
        <dt>Chain id</dt>
        <dd>{shown.chain_id}</dd>
        <dt>From</dt>
        <dd className="mono">{shown.from}</dd>
        <dt>To</dt>
        <dd className="mono">{shown.to}</dd>
        <dt>Amount</dt>
        <dd>{shown.amount} coins</dd>
        <dt>Fee</dt>
        <dd>{shown.fee} coins</dd>
        <dt>Total</dt>
        <dd>
          <strong>{shown.total} coins</strong>
        </dd>
        <dt>Nonce</dt>
        <dd>{shown.nonce}</dd>
        <dt>Node</dt>
        <dd className="mono">{nodeUrl}</dd>
      </dl>
      <div className="row actions">
        <button type="button" data-autofocus disabled={sending} onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={sending} onClick={send}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </Dialog>
  );
}
