/**
 * Make a transaction: from one of the wallet's addresses, to a checksum-checked address, an
 * amount and a fee in coins, with the nonce the node says comes next. "Send…" checks the
 * spendable balance, signs in this browser and shows exactly what was signed; only "Send" in
 * that dialog lets the signed transfer (and nothing else) leave, to the node the person picks.
 */
import { type FormEvent, useId, useState } from 'react';
import { parseAddress } from '../../../../src/core/address.ts';
import { formatCoins } from '../../../../src/core/money.ts';
import type { Account, SignedTransfer, WalletNetwork } from '../../../../src/wallet/index.ts';
import { createTransfer, DEFAULT_FEE_UNITS, parseAmount } from '../../../../src/wallet/index.ts';
import { coins } from '../../format.ts';
import { ConfirmTransfer } from './ConfirmTransfer.tsx';
import { FieldCheck, isHttpUrl } from './FieldCheck.tsx';
import { failureError, type Problem, ProblemNote } from './ProblemNote.tsx';
import { loadSent, rememberSent, type Sent, SentTransfers } from './SentTransfers.tsx';
import { type AccountData, availableOf } from './useAccountViews.ts';

export interface WalletAddress {
  readonly account: Account;
  readonly address: string;
}

export function SendForm({
  addresses,
  data,
  network,
}: {
  addresses: readonly WalletAddress[];
  data: readonly AccountData[] | undefined;
  network: WalletNetwork;
}) {
  const id = useId();
  const [fromIndex, setFromIndex] = useState(0);
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [fee, setFee] = useState(formatCoins(DEFAULT_FEE_UNITS));
  const [nodeUrl, setNodeUrl] = useState(window.location.origin);
  const [signed, setSigned] = useState<SignedTransfer>();
  const [problem, setProblem] = useState<Problem>();
  // What this wallet sent and no block confirmed yet, kept across reloads.
  const [sent, setSent] = useState<Sent[]>(() =>
    loadSent(
      network.addressPrefix,
      addresses.map((a) => a.address),
    ),
  );

  const from = addresses[fromIndex];
  const fromData = data?.find((d) => d.view.address === from?.address);
  const recipient = to.trim() === '' ? undefined : parseAddress(to, network.addressPrefix);
  const amountOk = amount.trim() === '' ? undefined : parseAmount(amount, 'amount');
  const feeOk = parseAmount(fee, 'fee');
  const urlOk = isHttpUrl(nodeUrl);
  const ready = from && fromData && recipient?.ok && amountOk?.ok && feeOk.ok && urlOk;

  const review = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || !amountOk?.ok || !feeOk.ok) return;
    const total = amountOk.value + feeOk.value;
    const available = availableOf(fromData);
    if (total > available) {
      return setProblem(
        failureError({
          code: 'TX_INSUFFICIENT_FUNDS',
          detail: `address ${from.account.index} can spend ${coins(available)} now (less its pending transfers); amount plus fee is ${coins(total)}`,
        }),
      );
    }
    const transfer = createTransfer(network, {
      secretKey: from.account.secretKey,
      to,
      amountCoins: amount,
      feeCoins: fee,
      nonce: BigInt(fromData.view.next_nonce),
    });
    setProblem(transfer.ok ? undefined : failureError(transfer));
    if (transfer.ok) setSigned(transfer.value);
  };

  return (
    <section className="panel send" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Make a transaction</h2>
      <form onSubmit={review}>
        <label htmlFor={`${id}-from`}>From</label>
        <select
          id={`${id}-from`}
          value={fromIndex}
          onChange={(e) => setFromIndex(Number(e.target.value))}
        >
          {addresses.map(({ account, address }) => (
            <option key={account.index} value={account.index}>
              {account.index}: {address.slice(0, 14)}…{address.slice(-6)}
            </option>
          ))}
        </select>
        <p className="muted hint" data-testid="send-spendable">
          Can spend now: {fromData ? `${coins(availableOf(fromData))} coins` : '—'}
        </p>

        <label htmlFor={`${id}-to`}>Recipient address</label>
        <input
          id={`${id}-to`}
          className="mono wide"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder={`${network.addressPrefix}1…`}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          aria-invalid={recipient?.ok === false}
          aria-describedby={`${id}-to-check`}
        />
        <FieldCheck id={`${id}-to-check`} result={recipient} okText="checksum OK" />

        <div className="amounts">
          <div>
            <label htmlFor={`${id}-amount`}>Amount (coins)</label>
            <input
              id={`${id}-amount`}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              required
              aria-invalid={amountOk?.ok === false}
              aria-describedby={`${id}-amount-check`}
            />
            <FieldCheck id={`${id}-amount-check`} result={amountOk} />
          </div>
          <div>
            <label htmlFor={`${id}-fee`}>Fee (coins)</label>
            <input
              id={`${id}-fee`}
              inputMode="decimal"
              value={fee}
              onChange={(e) => setFee(e.target.value)}
              required
              aria-invalid={!feeOk.ok}
              aria-describedby={`${id}-fee-check`}
            />
            <FieldCheck id={`${id}-fee-check`} result={feeOk.ok ? undefined : feeOk} />
          </div>
          <div>
            <span className="label">Nonce</span>
            <p className="nonce" data-testid="nonce">
              {fromData ? fromData.view.next_nonce : '—'}{' '}
              <span className="muted">(next for this address, from the node)</span>
            </p>
          </div>
        </div>

        <label htmlFor={`${id}-node`}>Node URL</label>
        <input
          id={`${id}-node`}
          className="mono wide"
          type="url"
          value={nodeUrl}
          onChange={(e) => setNodeUrl(e.target.value)}
          required
          aria-describedby={`${id}-node-hint`}
        />
        <p className="muted hint" id={`${id}-node-hint`}>
          {urlOk
            ? 'The signed transaction goes to this node: this page’s own, or any other.'
            : 'Enter a node’s URL, such as http://127.0.0.1:5000.'}
        </p>

        <ProblemNote problem={problem} />
        <div className="row actions">
          <button type="submit" className="primary" disabled={!ready}>
            Send…
          </button>
        </div>
      </form>
      {signed && (
        <ConfirmTransfer
          signed={signed}
          network={network}
          nodeUrl={nodeUrl}
          onClose={() => setSigned(undefined)}
          onSent={(next) => {
            setSigned(undefined);
            setAmount('');
            rememberSent(network.addressPrefix, next);
            setSent((list) => [next, ...list]);
          }}
          onFailed={(error) => {
            setSigned(undefined);
            setProblem(error);
          }}
        />
      )}
      <SentTransfers sent={sent} network={network.addressPrefix} />
    </section>
  );
}
