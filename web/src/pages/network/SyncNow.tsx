/**
 * Sync now (the tutorial's GET /nodes/resolve): ask every peer at once for a chain with more
 * work, and report what each gave. The answer's copy of the whole chain is not kept.
 */
import { useState } from 'react';
import { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useNode } from '../../node.tsx';
import { type ResolveAnswer, syncNow } from './networkApi.ts';

export function SyncNow({ onChange }: { onChange: () => void }) {
  const { client } = useNode();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ResolveAnswer>();
  const [error, setError] = useState<ClientError>();

  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(await syncNow(client));
    } catch (e) {
      setAnswer(undefined);
      setError(asClientError(e));
    } finally {
      setBusy(false);
      onChange();
    }
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
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Peer</th>
                <th className="num">Blocks received</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {answer.peers.map((peer) => (
                <tr key={peer.url} data-peer={peer.url}>
                  <td className="mono">{peer.url}</td>
                  <td className="num">{peer.blocks}</td>
                  <td>
                    {peer.ok ? (
                      <span className="good">synced</span>
                    ) : peer.error ? (
                      <ErrorNote error={new ClientError(peer.error.code, peer.error.message, 0)} />
                    ) : (
                      <span className="bad">failed</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
