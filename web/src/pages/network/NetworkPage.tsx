/**
 * The Network page (the tutorial's "Configure"): register other nodes, see the peers and what
 * they last said, sync now, and watch the recent block tree, where a reorg leaves its stale
 * branch beside the main chain.
 */
import './network.css';
import { useEffect } from 'react';
import { useLoad } from '../../node.tsx';
import { BlockTree } from './BlockTree.tsx';
import { JoinClass } from './JoinClass.tsx';
import { loadPeers } from './networkApi.ts';
import { PeerList } from './PeerList.tsx';
import { RegisterNodes } from './RegisterNodes.tsx';
import { SyncNow } from './SyncNow.tsx';
import { useLiveReload } from './useLiveReload.ts';

/** PERF: what a peer last told us changes without an event here; /nodes/get is cheap. */
const PEER_REFRESH_MS = 3_000;

/** `show`: `peers` (`#/network/peers`, the header's link when a sync stalled) scrolls to the peers. */
export function NetworkPage({ show }: { show?: string | undefined }) {
  const peers = useLoad(loadPeers, []);
  useLiveReload(peers.reload, PEER_REFRESH_MS);
  const loaded = peers.data !== undefined;
  useEffect(() => {
    if (show === 'peers' && loaded) document.getElementById('peers-heading')?.scrollIntoView();
  }, [show, loaded]);
  return (
    <div className="network-page">
      <section>
        <h1>Network</h1>
        <JoinClass />
        <div className="grid">
          <RegisterNodes onChange={peers.reload} />
          <SyncNow onChange={peers.reload} />
        </div>
      </section>
      <section aria-labelledby="peers-heading">
        <h2 id="peers-heading">
          Peers {peers.data && <span className="muted">({peers.data.length})</span>}
        </h2>
        <div className="panel">
          <PeerList peers={peers.data} error={peers.error} onChange={peers.reload} />
        </div>
      </section>
      <section aria-labelledby="tree-heading">
        <h2 id="tree-heading">Block tree</h2>
        <BlockTree />
      </section>
    </div>
  );
}
