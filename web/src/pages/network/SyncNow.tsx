/**
 * Sync now (the tutorial's GET /nodes/resolve): ask every peer at once for a chain with more
 * work, and report what each gave. The answer's copy of the whole chain is not kept.
 */
import { useState } from 'react';
import { ErrorNote, meaningOf } from '../../components/ErrorNote.tsx';
import { useCall, useNode } from '../../node.tsx';
import { type ResolveAnswer, syncNow } from './networkApi.ts';

export function SyncNow({ onChange }: { onChange: () => void }) {
  const { client } = useNode();
  const { busy, answer, error, run: call } = useCall<ResolveAnswer>();
  async function run() {
    await call(() => syncNow(client));
    onChange();
  }

  return (
    <div className="panel">
      <h2>Sync now</h2>
      <p className="muted">
        Nodes sync by themselves when a peer announces a block and every few seconds; this asks
        every peer now. The chain with the most work wins, never merely the longest.
      </p>
      <button type="button" className="primary" onClick={run} disabled={busy}>
        {busy ? 'Syncing…' : 'Sync now'}
      </button>
      <ErrorNote error={error} title="The sync did not run." />
      {answer && <SyncReport answer={answer} />}
    </div>
  );
}

function SyncReport({ answer }: { answer: ResolveAnswer }) {
  const replaced = answer.message === 'Our chain was replaced';
  // The moment the report came: "when" each peer's result is from.
  const [at] = useState(() => new Date().toLocaleTimeString());
  return (
    <div data-testid="sync-report">
      <div className="notice" role="status">
        <strong>{answer.message}.</strong>{' '}
        {replaced
          ? `This node moved to a chain with more work; it is now ${answer.length} blocks long.`
          : `No peer had a chain with more work; ours is ${answer.length} blocks long.`}
      </div>
      {answer.peers.length === 0 ? (
        <p className="muted">There are no peers to sync from yet: register one.</p>
      ) : (
        <ul className="sync-peers">
          {answer.peers.map((peer) => (
            <li key={peer.url} data-peer={peer.url}>
              <span className="mono sync-peer">{peer.url}</span>{' '}
              {peer.ok ? (
                <span className="good">
                  synced, {peer.blocks} {peer.blocks === 1 ? 'block' : 'blocks'} received
                </span>
              ) : (
                <PeerFailure error={peer.error} blocks={peer.blocks} />
              )}{' '}
              <span className="muted small">
                at {at}
                {!peer.ok && ". Details in the node's log."}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A peer's failure in a person's words: the code's meaning and the code. NOTE: the node's detail
 * (a request URL with a locator of up to 64 hashes) is for the log, where the node writes it.
 */
function PeerFailure({
  error,
  blocks,
}: {
  error: ResolveAnswer['peers'][number]['error'];
  blocks: number;
}) {
  const meaning = error && meaningOf(error.code);
  return (
    <span className="bad" data-testid="sync-failure">
      {meaning ?? 'The sync failed.'} {error && <code>{error.code}</code>}
      {blocks > 0 && ` (${blocks} ${blocks === 1 ? 'block' : 'blocks'} received first)`}
    </span>
  );
}
