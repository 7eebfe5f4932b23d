/**
 * The dashboard's frame: a header with the node's state, the tabs, and the page the URL's hash
 * names. Each page is its own folder under pages/.
 */
import { lazy, type ReactNode, Suspense } from 'react';
import { ErrorNote } from './components/ErrorNote.tsx';
import { ReorgBanner } from './components/ReorgBanner.tsx';
import { short } from './format.ts';
import { NodeProvider, useNode } from './node.tsx';
import { AddressPage } from './pages/explorer/AddressPage.tsx';
import { BlockPage } from './pages/explorer/BlockPage.tsx';
import { ExplorerPage } from './pages/explorer/ExplorerPage.tsx';
import { SearchBox } from './pages/explorer/SearchBox.tsx';
import { TxPage } from './pages/explorer/TxPage.tsx';
import { LabPage } from './pages/lab/LabPage.tsx';
import { MinePage } from './pages/mine/MinePage.tsx';
import { NetworkPage } from './pages/network/NetworkPage.tsx';
import { StartPage } from './pages/start/StartPage.tsx';
import { TamperPage } from './pages/tamper/TamperPage.tsx';
import { WalletPage } from './pages/wallet/WalletPage.tsx';
import { href, type Route, useRoute } from './router.ts';

// The protocol's text and its markdown renderer load only when the page is opened.
const ProtocolPage = lazy(() =>
  import('./pages/protocol/ProtocolPage.tsx').then((m) => ({ default: m.ProtocolPage })),
);

const tabs = [
  { page: 'start', label: 'Start here', also: [] },
  { page: 'mine', label: 'Mine', also: [] },
  { page: 'explorer', label: 'Explorer', also: ['block', 'tx', 'address'] },
  { page: 'network', label: 'Network', also: [] },
  { page: 'tamper', label: 'Tamper', also: [] },
  { page: 'wallet', label: 'Wallet', also: [] },
  { page: 'lab', label: 'Lab', also: [] },
];

export function App() {
  return (
    <NodeProvider>
      <Frame />
    </NodeProvider>
  );
}

function Frame() {
  const route = useRoute();
  return (
    <>
      <header className="top">
        <a className="brand" href={href('mine')}>
          blockyard
        </a>
        <NodeStatus />
        <SearchBox />
        <nav aria-label="Pages">
          {tabs.map((tab) => {
            const current = tab.page === route.page || tab.also.includes(route.page);
            return (
              <a
                key={tab.page}
                href={href(tab.page)}
                aria-current={current ? 'page' : undefined}
                className={current ? 'tab current' : 'tab'}
              >
                {tab.label}
              </a>
            );
          })}
        </nav>
      </header>
      <ConnectionBanner />
      <ReorgBanner />
      <main>{pageFor(route)}</main>
    </>
  );
}

function pageFor({ page, arg }: Route): ReactNode {
  switch (page) {
    case 'mine':
      return <MinePage />;
    case 'explorer':
      return <ExplorerPage />;
    case 'block':
      return <BlockPage id={arg ?? '0'} key={arg} />;
    case 'tx':
      return <TxPage id={arg ?? ''} key={arg} />;
    case 'address':
      return <AddressPage address={arg ?? ''} key={arg} />;
    case 'network':
      return <NetworkPage show={arg} />;
    case 'tamper':
      return <TamperPage height={arg} />;
    case 'wallet':
      return <WalletPage />;
    case 'start':
      return <StartPage />;
    case 'lab':
      return <LabPage />;
    case 'protocol':
      return (
        <Suspense fallback={<p className="muted">Loading the protocol…</p>}>
          <ProtocolPage section={arg} />
        </Suspense>
      );
    default:
      return (
        <section>
          <h1>No such page</h1>
          <p>
            There is no page “{page}”. Try the <a href={href('explorer')}>explorer</a>.
          </p>
        </section>
      );
  }
}

function NodeStatus() {
  const { info, live } = useNode();
  if (!info) return <span className="node-status">connecting…</span>;
  return (
    <span className="node-status" title={`tip ${info.tip_hash}`}>
      <span className={live ? 'dot live' : 'dot'} aria-hidden="true" />
      <b>{info.network}</b> · height <b data-testid="tip-height">{info.height}</b> ·{' '}
      <span className="mono">{short(info.tip_hash, 6)}</span>
      {info.sync.syncing && (
        <>
          {' '}
          · syncing {info.sync.height}/{info.sync.target_height}
        </>
      )}
      {!info.sync.syncing && info.sync.stalled && (
        <span className="warn" title={info.sync.stalled.message} data-testid="sync-stalled">
          {' '}
          · sync stalled at {info.height}/{info.sync.stalled.target_height}:{' '}
          <a href={href('network', 'peers')} data-testid="sync-stalled-why">
            see why
          </a>
        </span>
      )}
    </span>
  );
}

function ConnectionBanner() {
  const { error, live, info } = useNode();
  const route = useRoute();
  // A lab server with no node running answers a lab code: not a fault, a step to take.
  if (error?.code === 'LAB_NOT_STARTED' || error?.code === 'LAB_NODE_NOT_RUNNING') {
    return (
      <div className="banner quiet" data-testid="lab-idle-banner">
        {sentence(error.message.replace(/ on the Lab page$/, ''))}
        {route.page === 'lab' ? (
          '.'
        ) : (
          <>
            {' '}
            on the <a href={href('lab')}>Lab page</a>.
          </>
        )}
      </div>
    );
  }
  if (error) {
    return (
      <div className="banner">
        <ErrorNote
          error={error}
          title={`The node at ${window.location.origin} is not answering.`}
        />
      </div>
    );
  }
  if (info && !live) {
    return <div className="banner quiet">Live updates paused; reconnecting to the node…</div>;
  }
  return null;
}

/** A node's message as the start of a sentence. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
