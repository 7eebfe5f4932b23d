/**
 * The wallets this browser keeps (encrypted), each with its password field to unlock it, its
 * keystore file to download, and a way to remove it from this browser.
 */
import { type FormEvent, useId, useState } from 'react';
import { type Keystore, openKeystore } from '../../../../src/wallet/index.ts';
import { Dialog } from './Dialog.tsx';
import { failureError, type Problem, ProblemNote } from './ProblemNote.tsx';
import { downloadKeystore } from './walletStorage.ts';

export function WalletList({
  keystores,
  onUnlock,
  onRemove,
  onImport,
}: {
  keystores: readonly Keystore[];
  onUnlock: (keystore: Keystore, mnemonic: string) => void;
  onRemove: (name: string) => void;
  onImport: () => void;
}) {
  const [removing, setRemoving] = useState<string>();
  if (keystores.length === 0) {
    return (
      <div className="notice" data-testid="no-wallet">
        <p>
          No wallet in this browser for <code>{window.location.origin}</code> yet.
        </p>
        <p>
          Made one before? It may be kept for another page address, or by{' '}
          <code>blockyard wallet</code>:{' '}
          <button type="button" className="small-button" onClick={onImport}>
            Import its keystore file
          </button>{' '}
          (<code>~/.blockyard/wallets/NAME.json</code>, or the file this page downloaded), or its 12
          words. New here? <em>Create a wallet</em> above.
        </p>
      </div>
    );
  }
  return (
    <>
      <ul className="wallet-list">
        {keystores.map((keystore) => (
          <li key={keystore.name} className="panel">
            <StoredWallet
              keystore={keystore}
              onUnlock={onUnlock}
              onRemove={() => setRemoving(keystore.name)}
            />
          </li>
        ))}
      </ul>
      {removing !== undefined && (
        <Dialog
          title={`Remove “${removing}” from this browser?`}
          onClose={() => setRemoving(undefined)}
        >
          <p>
            Its coins stay on the chain, but this browser forgets the wallet. You can get it back
            only with its 12 words or a downloaded keystore file (and its password).
          </p>
          <div className="row actions">
            <button type="button" data-autofocus onClick={() => setRemoving(undefined)}>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                onRemove(removing);
                setRemoving(undefined);
              }}
            >
              Remove
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function StoredWallet({
  keystore,
  onUnlock,
  onRemove,
}: {
  keystore: Keystore;
  onUnlock: (keystore: Keystore, mnemonic: string) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    setWorking(true);
    const opened = await openKeystore(keystore, password);
    setWorking(false);
    if (!opened.ok) return setProblem(failureError(opened));
    setPassword('');
    onUnlock(keystore, opened.value);
  };

  const addresses = keystore.accounts === 1 ? '1 address' : `${keystore.accounts} addresses`;
  return (
    <form onSubmit={unlock} aria-labelledby={`${id}-name`}>
      <h2 id={`${id}-name`} className="wallet-name">
        {keystore.name}
      </h2>
      <p className="muted">
        {addresses} · created {new Date(keystore.created_at).toLocaleDateString()}
      </p>
      <label htmlFor={`${id}-password`}>Password</label>
      <div className="row">
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          disabled={working}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary" disabled={working}>
          {working ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
      {working && (
        <p className="muted" role="status">
          working… checking the password
        </p>
      )}
      <ProblemNote problem={problem} />
      <div className="row actions">
        <button type="button" onClick={() => downloadKeystore(keystore)}>
          Download keystore
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          Remove…
        </button>
      </div>
    </form>
  );
}
