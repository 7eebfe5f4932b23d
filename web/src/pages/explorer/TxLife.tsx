/**
 * A transaction's whole life on this node, from the node's `life` steps: pending, in block B,
 * back to pending when a reorganisation left B behind, in block C — or dropped, and why.
 */
import type { TxJson } from '../../../../src/core/json.ts';
import { BlockLink, TxLink } from '../../components/Links.tsx';
import { dateTime } from '../../format.ts';
import type { TxStatus } from './api.ts';
import { coinAmount } from './coinAmount.ts';

type Step = NonNullable<TxStatus['life']>[number];

export function TxLife({ life, tx }: { life: readonly Step[]; tx: TxJson }) {
  if (life.length === 0) return null;
  const what =
    tx.type === 'coinbase'
      ? `reward of ${coinAmount(tx.amount)}`
      : `payment of ${coinAmount(tx.amount)}`;
  return (
    <section aria-labelledby="life-title">
      <h2 id="life-title">Its life on this node</h2>
      <ol className="tx-life panel" data-testid="tx-life">
        {life.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a life only grows at its end; steps repeat (pending twice), so the position is their identity.
          <li key={i} className={`life-${step.step}`}>
            <StepText step={step} what={what} first={i === 0} />
            {step.at_ms !== null && <span className="muted"> · {dateTime(step.at_ms)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function StepText({ step, what, first }: { step: Step; what: string; first: boolean }) {
  const reorg = step.reorg === null ? '' : `reorganisation #${step.reorg}`;
  switch (step.step) {
    case 'pending':
      return first ? (
        <>This {what} entered the mempool, waiting for a block.</>
      ) : (
        <>Pending in the mempool, waiting for a block.</>
      );
    case 'confirmed':
      return step.block ? (
        <>
          {step.reorg === null
            ? 'Confirmed in block '
            : `With ${reorg}, in the new branch's block `}
          <BlockLink
            id={step.block.hash}
            label={`#${step.block.height} ${step.block.hash.slice(0, 8)}`}
          />
          .
        </>
      ) : (
        <>Confirmed.</>
      );
    case 'returned':
      return (
        <>
          Back to pending: {reorg} left that block behind, and the new branch did not hold this{' '}
          {what}.
        </>
      );
    case 'dropped':
      return (
        <>
          Dropped{step.reorg === null ? '' : ` by ${reorg}`}
          {step.conflicts_with ? (
            <>
              : it conflicts with <TxLink id={step.conflicts_with} />, which the new branch
              confirmed (same sender, same nonce); only one of them can ever count.
            </>
          ) : (
            <>: {step.message}</>
          )}{' '}
          {step.code && <code>{step.code}</code>}
        </>
      );
  }
}
