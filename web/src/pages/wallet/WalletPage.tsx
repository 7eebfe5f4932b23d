/**
 * The browser wallet (`#/wallet`): the wallets this browser keeps, encrypted; create, import,
 * unlock; then addresses, balances and transfers signed here. Keys and words never leave the
 * page: the node receives signed transfers only.
 */
import { type ReactNode, useState } from 'react';
import { accountsOf, type Keystore } from '../../../../src/wallet/index.ts';
import { useNode } from '../../node.tsx';
import { CreateWallet } from './CreateWallet.tsx';
import { ImportWallet } from './ImportWallet.tsx';
import type { Problem } from './ProblemNote.tsx';
import { type Unlocked, UnlockedWallet } from './UnlockedWallet.tsx';
import { WalletList } from './WalletList.tsx';
import { useStoredWallets } from './walletStorage.ts';
import './wallet.css';

type View = 'list' | 'create' | 'import';

export function WalletPage() {
  const { info } = useNode();
  const wallets = useStoredWallets();
  const [view, setView] = useState<View>('list');
  const [unlocked, setUnlocked] = useState<Unlocked>();
  const [notice, setNotice] = useState<ReactNode>();
  const names = wallets.keystores.map((k) => k.name);

  const open = (keystore: Keystore, mnemonic: string, message?: ReactNode) => {
    setUnlocked({ name: keystore.name, derive: accountsOf(mnemonic) });
    setNotice(message);
    setView('list');
  };
  const store = (keystore: Keystore, mnemonic: string, message: ReactNode): Problem | undefined => {
    const failed = wallets.add(keystore);
    if (!failed) open(keystore, mnemonic, message);
    return failed;
  };
  const saved = (name: string) => (
    <>
      Wallet “{name}” is saved in this browser, encrypted with your password. Download its keystore
      file to keep a copy elsewhere; <code>blockyard wallet import --keystore FILE</code> reads it.
    </>
  );

  const keystore = unlocked && wallets.keystores.find((k) => k.name === unlocked.name);
  if (unlocked && keystore) {
    if (!info) return <p className="muted">Waiting for the node to say which network it is on…</p>;
    return (
      <UnlockedWallet
        keystore={keystore}
        derive={unlocked.derive}
        info={info}
        notice={notice}
        onLock={() => {
          setUnlocked(undefined);
          setNotice(undefined);
        }}
        onAccounts={(count) => wallets.setAccounts(keystore.name, count)}
      />
    );
  }

  return (
    <section aria-labelledby="wallet-page-title">
      <h1 id="wallet-page-title">Wallet</h1>
      <p className="intro" data-testid="wallet-home">
        A wallet here lives <strong>in this browser, for this page's address</strong> (
        <code>{window.location.origin}</code>): keys are made and used here only, kept encrypted
        with your password, and the node only ever sees signed transfers. Opened from another
        address (<code>localhost</code> instead of <code>127.0.0.1</code>, another node's dashboard,
        another browser), the page keeps a separate list: import the wallet's keystore file or its
        12 words there.
      </p>
      {view === 'create' && (
        <CreateWallet
          takenNames={names}
          onCreated={(k, m) => store(k, m, saved(k.name))}
          onCancel={() => setView('list')}
        />
      )}
      {view === 'import' && (
        <ImportWallet
          takenNames={names}
          onImported={(k, m) => store(k, m, `Wallet “${k.name}” is imported and unlocked.`)}
          onCancel={() => setView('list')}
        />
      )}
      {view === 'list' && (
        <>
          <div className="row actions">
            <button type="button" className="primary" onClick={() => setView('create')}>
              Create a wallet
            </button>
            <button type="button" onClick={() => setView('import')}>
              Import a wallet
            </button>
          </div>
          <WalletList
            keystores={wallets.keystores}
            onUnlock={(k, m) => open(k, m)}
            onRemove={wallets.remove}
            onImport={() => setView('import')}
          />
          {wallets.unreadable > 0 && (
            <p className="muted">
              {wallets.unreadable} stored entr{wallets.unreadable === 1 ? 'y is' : 'ies are'} not
              readable keystores and are left as they are.
            </p>
          )}
        </>
      )}
    </section>
  );
}
