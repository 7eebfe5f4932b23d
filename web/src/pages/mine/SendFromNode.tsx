/**
 * Spends from the node's own wallet, as the tutorials' POST /transactions/new does with
 * `sender` = the node's address: the node signs, with its next nonce and the default fee. An
 * operator action, like mining.
 */
import { type FormEvent, useState } from 'react';
import type { Answer } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { AddressLink, TxLink } from '../../components/Links.tsx';
import { useCall, useLoad, useNode } from '../../node.tsx';
import { coinAmount } from '../explorer/coinAmount.ts';
import { operatorTitle } from './MineNow.tsx';

/** The tutorials' answer; `index` is the tutorials' block number, height + 1. */
type Sent = Answer<'newTransaction'>;

export function SendFromNode() {
  const { client, info } = useNode();
  const nodeAddress = info?.node_address;
  const account = useLoad(
    (c) => (nodeAddress ? c.account(nodeAddress) : Promise.resolve(undefined)),
    [nodeAddress],
    ['block', 'tx', 'reorg'],
  );
  const [recipient, setRecipient] = useState('');
  const [amount, setAmount] = useState('');
  const { busy, answer: sent, error, run, setAnswer } = useCall<Sent>();

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!nodeAddress) return;
    setAnswer(undefined);
    const body = { sender: nodeAddress, recipient: recipient.trim(), amount: amount.trim() };
    if (await run(() => client.request('newTransaction', { body }))) setAmount('');
  }

  return (
    <form className="panel send-form" onSubmit={send}>
      <h2>Send from the node’s wallet</h2>
      <p className="muted">
        From {nodeAddress ? <AddressLink address={nodeAddress} /> : '…'}
        {account.data && <> · spendable {coinAmount(account.data.spendable)}</>}. The node signs it
        and pays the default fee.
      </p>
      <label htmlFor="send-recipient">Recipient</label>
      <input
        id="send-recipient"
        value={recipient}
        onChange={(e) => setRecipient(e.target.value)}
        placeholder={info ? `${info.address_prefix}1…` : ''}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <label htmlFor="send-amount">Amount (coins)</label>
      <input
        id="send-amount"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        inputMode="decimal"
        placeholder="1.5"
        autoComplete="off"
        required
      />
      <p className="row">
        <button type="submit" className="primary" disabled={busy || !nodeAddress}>
          {busy ? 'Sending…' : 'Send from node'}
        </button>
      </p>
      <div aria-live="polite">
        {sent && (
          <p className="notice" data-testid="sent">
            Sent <TxLink id={sent.id} />: pending until a block takes it (the next is #
            {sent.index - 1}).
          </p>
        )}
      </div>
      <ErrorNote error={error} title={operatorTitle(error, 'The node did not send it.')} />
    </form>
  );
}
