/**
 * Tamper: Anders Brownworth's blockchain demo on this node's real blocks. Pick a few consecutive
 * blocks (#/tamper for the latest, #/tamper/<height> from that height), edit them here, and watch
 * hashes, proof of work, signatures and links break and (partly) mend. Nothing is sent to the
 * node until the visitor sends an edited block (SendToNode.tsx), to see the node's own verdict.
 */
import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useLoad, useNode } from '../../node.tsx';
import { href, navigate } from '../../router.ts';
import { loadWindow, WINDOW_SIZE } from './loadWindow.ts';
import { TamperChain } from './TamperChain.tsx';
import './tamper.css';

export function TamperPage({ height }: { height: string | undefined }) {
  const { info } = useNode();
  // The window is fixed when the page opens (or the visitor picks one), so blocks mined meanwhile
  // never wipe the edits; the visitor moves on when they choose.
  const [frozen, setFrozen] = useState<{ arg: string | undefined; tip: number }>();
  if (info && (frozen === undefined || frozen.arg !== height)) {
    setFrozen({ arg: height, tip: info.height });
  }
  const tip = frozen?.tip;
  const start = height === undefined ? Math.max(0, (tip ?? 0) - (WINDOW_SIZE - 1)) : Number(height);
  const end = Math.min(start + WINDOW_SIZE - 1, tip ?? 0);
  const latestTip = info?.height ?? 0;
  const grown =
    tip !== undefined && latestTip > tip && (height === undefined || end < start + WINDOW_SIZE - 1);
  return (
    <section className="tamper">
      <h1>Tamper with the chain</h1>
      <p>
        Edit a real block here and see why nobody can quietly rewrite history: its hash changes, its
        proof of work fails, and the next block no longer links to it. Mining it again mends its
        work, but the next block still points at the old hash until it is mined again too, and so on
        to the tip. No amount of mining mends a signature.{' '}
        <strong>Nothing is sent to the node until you press “Send block N to the node”.</strong>
      </p>
      <p className="muted">
        Checked here, in your browser: signatures, merkle roots, proof of work and links. A node
        also checks balances, timestamps and the coinbase's amount: pay yourself 1,000 coins in the
        latest block's coinbase, re-mine it and send it to the node. It keeps it aside, unchecked,
        as a branch no heavier than its chain; mine a block on top to make that branch heavier, and
        the node checks the block in full and refuses it for its real reason.
      </p>
      {tip === undefined || !info ? (
        <p className="muted">Waiting for the node…</p>
      ) : height !== undefined && !/^\d{1,10}$/.test(height) ? (
        <p className="bad">
          “{height}” is not a block height. <a href={href('tamper')}>Show the latest blocks</a>.
        </p>
      ) : start > tip ? (
        <p>
          There is no block {start} yet: the chain's tip is block {tip}.{' '}
          <a href={href('tamper')}>Show the latest blocks</a>.
        </p>
      ) : (
        <>
          <WindowPicker
            key={start}
            start={start}
            end={end}
            latestTip={latestTip}
            grown={grown ? latestTip - tip : 0}
            onLatest={() => setFrozen({ arg: height, tip: latestTip })}
          />
          <TamperWindow
            key={`${start}-${end}`}
            from={start}
            to={end}
            prefix={info.address_prefix}
          />
        </>
      )}
    </section>
  );
}

function TamperWindow({ from, to, prefix }: { from: number; to: number; prefix: string }) {
  const loaded = useLoad((client) => loadWindow(client, from, to, prefix), [from, to, prefix]);
  if (loaded.error) return <ErrorNote error={loaded.error} title="Could not read the blocks." />;
  if (!loaded.data)
    return (
      <p className="muted">
        Reading blocks {from} to {to}…
      </p>
    );
  return <TamperChain blocks={loaded.data} prefix={prefix} />;
}

interface PickerProps {
  start: number;
  end: number;
  latestTip: number;
  /** Blocks mined since the window was read that would change it. */
  grown: number;
  onLatest: () => void;
}

function WindowPicker({ start, end, latestTip, grown, onLatest }: PickerProps) {
  const [text, setText] = useState(String(start));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d{1,10}$/.test(text.trim())) navigate('tamper', Number(text.trim()));
  };
  return (
    <nav className="tamper-picker" aria-label="Blocks to tamper with">
      <form className="row" onSubmit={submit}>
        <label htmlFor="tamper-start">First block</label>
        <input
          id="tamper-start"
          type="number"
          min={0}
          max={latestTip}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Show</button>
      </form>
      <span className="row">
        <span className="muted">
          Blocks {start} to {end}; the tip is {latestTip}.
        </span>
        {start > 0 && <a href={href('tamper', Math.max(0, start - WINDOW_SIZE))}>← Earlier</a>}
        {end < latestTip && <a href={href('tamper', start + WINDOW_SIZE)}>Later →</a>}
        <a href={href('tamper')}>Latest</a>
        {grown > 0 && (
          <button type="button" onClick={onLatest}>
            {grown === 1 ? '1 new block' : `${grown} new blocks`}: show (drops your edits)
          </button>
        )}
      </span>
    </nav>
  );
}
