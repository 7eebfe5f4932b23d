/** The node's peers: where each is, what tip it last told us, how fast and how well it behaves. */
import { useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { BlockLink } from '../../components/Links.tsx';
import { ago, dateTime } from '../../format.ts';
import { asClientError, useNode } from '../../node.tsx';
import { type PeerView, removeNodes, unbanNodes } from './networkApi.ts';

export function PeerList({
  peers,
  error,
  onChange,
}: {
  peers: PeerView[] | undefined;
  error: ClientError | undefined;
  onChange: () => void;
}) {
  const { client } = useNode();
  const [removeError, setRemoveError] = useState<ClientError>();
  const remove = (url: string) =>
    removeNodes(client, [url]).then(
      () => {
        setRemoveError(undefined);
        onChange();
      },
      (e: unknown) => setRemoveError(asClientError(e)),
    );
  const unban = (url: string) =>
    unbanNodes(client, [url]).then(
      () => {
        setRemoveError(undefined);
        onChange();
      },
      (e: unknown) => setRemoveError(asClientError(e)),
    );
  if (!peers) return <ErrorNote error={error} title="The peer list could not be loaded." />;
  return (
    <>
      <ErrorNote error={error} title="The peer list could not be refreshed." />
      <ErrorNote error={removeError} title="The peer could not be removed." />
      {peers.length === 0 ? (
        <p className="muted" data-testid="no-peers">
          No peers yet. Register another node above, or start this one with{' '}
          <code>--peers host:port</code>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="peer-table" data-testid="peer-table">
            <thead>
              <tr>
                <th>Peer</th>
                <th>Tip</th>
                <th className="num">Latency</th>
                <th
                  className="num"
                  title="Points for invalid data (halved every 10 minutes); 100 bans a peer for an hour. Not answering costs nothing."
                >
                  Score
                </th>
                <th>State</th>
                <th>Last seen</th>
                <th>Last error</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {peers.map((peer) => (
                <PeerRow key={peer.url} peer={peer} onRemove={remove} onUnban={unban} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PeerRow({
  peer,
  onRemove,
  onUnban,
}: {
  peer: PeerView;
  onRemove: (url: string) => void;
  onUnban: (url: string) => void;
}) {
  return (
    <tr data-peer={peer.url}>
      <td className="mono peer-url" data-label="Peer">
        <span>{peer.url}</span>
      </td>
      <td className="peer-tip" data-label="Tip">
        {peer.tip_height === null || peer.tip_hash === null ? (
          <span className="muted">not known</span>
        ) : (
          <span>
            <span data-testid="peer-tip-height">{peer.tip_height}</span>{' '}
            <BlockLink id={peer.tip_hash} label={peer.tip_hash.slice(-8)} />
            <TipComparison height={peer.tip_height} hash={peer.tip_hash} />
          </span>
        )}
      </td>
      <td className="num" data-label="Latency">
        <span>{peer.latency_ms === null ? '—' : `${Math.round(peer.latency_ms)} ms`}</span>
      </td>
      <td className={peer.score > 0 ? 'num warn' : 'num'} data-label="Score">
        <span>{peer.score}</span>
      </td>
      <td data-label="State">
        {peer.banned ? (
          <span className="badge bad" title={peer.ban_reason ?? undefined}>
            banned
          </span>
        ) : peer.answering ? (
          <span className="badge good">answering</span>
        ) : peer.last_seen_ms === 0 ? (
          <span className="badge muted">not heard from</span>
        ) : (
          <span className="badge warn">not answering</span>
        )}
        {peer.banned && peer.banned_until_ms !== null && (
          <div className="small peer-ban" data-testid="ban-reason">
            {peer.ban_reason} · until {dateTime(peer.banned_until_ms)}
          </div>
        )}
        {!peer.banned && !peer.answering && peer.named && (
          <div className="muted small">retrying</div>
        )}
        <StalledHere url={peer.url} />
      </td>
      <td data-label="Last seen">
        {peer.last_seen_ms === 0 ? (
          <span className="muted">never</span>
        ) : (
          <span title={dateTime(peer.last_seen_ms)}>{ago(peer.last_seen_ms)}</span>
        )}
      </td>
      <td className={peer.last_error ? 'bad peer-error' : 'muted'} data-label="Last error">
        {peer.last_error ? (
          <span title={peer.last_error.code}>
            {peer.last_error.meaning}{' '}
            <span className="muted small">{ago(peer.last_error.at_ms)}</span>
          </span>
        ) : (
          <span>—</span>
        )}
      </td>
      <td data-label="">
        {peer.banned && (
          <button
            type="button"
            className="small-button"
            aria-label={`Unban ${peer.url}`}
            title="Lift the ban: this node calls the peer again at once"
            onClick={() => onUnban(peer.url)}
          >
            Unban
          </button>
        )}
        <button
          type="button"
          className="small-button"
          aria-label={`Remove ${peer.url}`}
          title="Forget this peer (it may come back if it greets this node again)"
          onClick={() => onRemove(peer.url)}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

/** How the peer's tip stands against ours, as of the last time it told us. */
function TipComparison({ height, hash }: { height: number; hash: string }) {
  const { info } = useNode();
  if (!info) return null;
  if (hash === info.tip_hash) return <div className="muted small">same tip as us</div>;
  const diff = height - info.height;
  if (diff > 0) return <div className="warn small">{diff} ahead of us</div>;
  if (diff < 0) return <div className="muted small">{-diff} behind us</div>;
  return <div className="warn small">same height, other tip</div>;
}

/** The sync that stalled on this peer (GET /api/info's sync.stalled: the header links here). */
function StalledHere({ url }: { url: string }) {
  const { info } = useNode();
  const stalled = info && !info.sync.syncing ? info.sync.stalled : undefined;
  if (!info || !stalled || stalled.peer !== url) return null;
  return (
    <div className="warn small" data-testid="peer-stalled" title={stalled.message}>
      the sync stalled here at {info.height}/{stalled.target_height}
    </div>
  );
}
