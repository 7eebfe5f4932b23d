/**
 * Mines one block now, or N (the tutorials' GET/POST /mine, `?count=N`: an operator action), and
 * says which blocks it made and what they took. The reward goes to the node's own address.
 */
import { useState } from 'react';
import type { Answer, ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { BlockLink } from '../../components/Links.tsx';
import { coins } from '../../format.ts';
import { useCall, useNode } from '../../node.tsx';
import { effortLine } from './miningEffort.ts';

const MAX_COUNT = 1000;

type Forged = Answer<'minePost'>;

export function MineNow() {
  const { client } = useNode();
  const { busy, answer: forged, error, run } = useCall<Forged>();
  const [countText, setCountText] = useState('1');
  const count = /^[0-9]{1,4}$/.test(countText) ? Number(countText) : 0;
  const countOk = count >= 1 && count <= MAX_COUNT;

  const mine = () => run(() => client.request('minePost', count === 1 ? {} : { query: { count } }));

  return (
    <div className="panel">
      <h2>Mine blocks now</h2>
      <p className="muted">
        Puts the pending transactions into a block and searches for its proof of work now; more than
        one block fast-forwards a demo.
      </p>
      <p className="row mine-count">
        <label>
          Blocks{' '}
          <input
            type="number"
            min={1}
            max={MAX_COUNT}
            inputMode="numeric"
            value={countText}
            onChange={(e) => setCountText(e.target.value)}
            aria-invalid={!countOk}
          />
        </label>
        <button type="button" className="primary" onClick={mine} disabled={busy || !countOk}>
          {busy ? 'Mining…' : count > 1 ? `Mine ${count} blocks` : 'Mine'}
        </button>
      </p>
      {!countOk && <p className="muted">From 1 to {MAX_COUNT} blocks.</p>}
      <div aria-live="polite">
        {forged && (
          <div className="notice" data-testid="mined">
            <p>
              {forged.message}: block <BlockLink id={forged.height} /> (
              <BlockLink id={forged.hash} />) with {forged.transactions.length}{' '}
              {forged.transactions.length === 1 ? 'transaction' : 'transactions'}.
            </p>
            <p data-testid="mined-tries">
              {forged.blocks.length === 1
                ? `Found after ${effortLine(forged)}; reward ${forged.reward} coins.`
                : `${forged.blocks.length} blocks: ${effortLine(totalEffort(forged))} in all; reward ${sumCoins(forged.blocks)} coins.`}
            </p>
          </div>
        )}
      </div>
      <ErrorNote error={error} title={operatorTitle(error, 'Mining failed.')} />
    </div>
  );
}

function totalEffort(forged: Forged) {
  const tries = forged.blocks.reduce((sum, b) => sum + b.tries, 0);
  const elapsed_ms = forged.blocks.reduce((sum, b) => sum + b.elapsed_ms, 0);
  return {
    height: forged.height,
    tries,
    elapsed_ms,
    hash_rate: elapsed_ms > 0 ? (tries * 1000) / elapsed_ms : 0,
    expected_tries: forged.expected_tries,
  };
}

/** Coins summed in base units, so 0.1 + 0.2 stays 0.3. */
function sumCoins(blocks: Forged['blocks']): string {
  return coins(blocks.reduce((sum, b) => sum + BigInt(b.reward_units), 0n));
}

/** The title over an error of an operator action: API_UNAUTHORIZED says who may do it. */
export function operatorTitle(error: ClientError | undefined, fallback: string): string {
  return error?.code === 'API_UNAUTHORIZED'
    ? 'Refused: only the node’s operator may do this.'
    : fallback;
}
