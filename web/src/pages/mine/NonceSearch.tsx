/**
 * The nonce search as it runs (issue 15, point 2): while this node searches for a block, its
 * `mining` events say how long and about how many tries so far against what the target asks;
 * each block it finds (`mined`) shows its tries, time, hash rate and reward.
 */
import { useState } from 'react';
import { BlockLink } from '../../components/Links.tsx';
import { hashRate } from '../../format.ts';
import { useNodeEvents } from '../../node.tsx';
import {
  count,
  duration,
  type Effort,
  effortLine,
  leadingZeroBits,
  luck,
  targetWords,
} from './miningEffort.ts';

interface Searching extends Effort {
  readonly target: string;
}
interface Found extends Effort {
  readonly hash: string;
  readonly target: string;
  readonly reward: number;
  readonly fees: number;
  readonly transactions: number;
}

export function NonceSearch() {
  const [searching, setSearching] = useState<Searching>();
  const [found, setFound] = useState<Found>();
  useNodeEvents(['mining', 'mined'], (type, data) => {
    if (type === 'mining') setSearching(data as Searching);
    else {
      setSearching(undefined);
      setFound(data as Found);
    }
  });
  useNodeEvents(['block'], (_type, data) => {
    // Another node's block ends our search on that height.
    if (searching && (data as { height: number }).height >= searching.height)
      setSearching(undefined);
  });

  return (
    <div className="panel nonce-search" aria-live="polite">
      <h2>Proof of work</h2>
      <p className="muted">
        Mining is guessing: the node hashes the block's header with nonce 0, 1, 2, … until the hash
        is at or below the target. A lower target asks for more tries.
      </p>
      {searching && (
        <div data-testid="nonce-search">
          <p>
            Searching for block #{searching.height}:{' '}
            {searching.tries > 0
              ? `about ${count(searching.tries)} tries in ${duration(searching.elapsed_ms)} (${hashRate(searching.hash_rate)}).`
              : `${duration(searching.elapsed_ms)} so far.`}
          </p>
          <progress
            max={searching.expected_tries}
            value={Math.min(searching.tries, searching.expected_tries)}
            aria-label="Tries against the average the target asks"
          />
          <p className="muted">
            On average {count(searching.expected_tries)} tries: {targetWords(searching.target)}.
          </p>
        </div>
      )}
      {found && !searching && (
        <dl
          className="fields"
          data-testid="mined-effort"
          aria-label="The last block this node mined"
        >
          <dt>Block</dt>
          <dd>
            <BlockLink id={found.height} /> (<BlockLink id={found.hash} />)
          </dd>
          <dt>Tries</dt>
          <dd>{effortLine(found)}</dd>
          <dt>Average</dt>
          <dd>
            {count(found.expected_tries)} tries for this target: {luck(found)}
          </dd>
          <dt>Target</dt>
          <dd>
            <code className="mono" title={found.target}>
              {found.target.slice(0, 16)}…
            </code>{' '}
            ({leadingZeroBits(found.target)} leading zero bits)
          </dd>
          <dt>Reward</dt>
          <dd>
            {found.reward} coins{found.fees > 0 ? `, ${found.fees} of it in fees` : ''} to the
            node's address
          </dd>
        </dl>
      )}
      {!found && !searching && <p className="muted">No block mined here since this page opened.</p>}
    </div>
  );
}
