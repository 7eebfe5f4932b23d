/**
 * A new wallet: a name and a password, then the 12 words shown once, then (after the person
 * says they wrote them down) the words sealed under the password into the keystore that this
 * browser keeps. Nothing but that keystore is stored.
 */
import { type FormEvent, useState } from 'react';
import {
  type Keystore,
  mnemonicFromEntropy,
  randomBytes,
  sealKeystore,
} from '../../../../src/wallet/index.ts';
import {
  checkNewWallet,
  emptyNewWallet,
  type NewWallet,
  NewWalletFields,
} from './NewWalletFields.tsx';
import { type Problem, ProblemNote } from './ProblemNote.tsx';

export function CreateWallet({
  takenNames,
  onCreated,
  onCancel,
}: {
  takenNames: readonly string[];
  /** Stores the keystore and opens the wallet; a problem if it could not be stored. */
  onCreated: (keystore: Keystore, mnemonic: string) => Problem | undefined;
  onCancel: () => void;
}) {
  const [fields, setFields] = useState<NewWallet>(emptyNewWallet);
  const [mnemonic, setMnemonic] = useState<string>();
  const [writtenDown, setWrittenDown] = useState(false);
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const showWords = (e: FormEvent) => {
    e.preventDefault();
    const wrong = checkNewWallet(fields, takenNames);
    setProblem(wrong);
    if (!wrong) setMnemonic(mnemonicFromEntropy(randomBytes(16)));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!mnemonic || !writtenDown) return;
    setWorking(true);
    const keystore = await sealKeystore({
      name: fields.name,
      mnemonic,
      password: fields.password,
      createdAt: new Date(),
      random: randomBytes,
    });
    setWorking(false);
    const failed = onCreated(keystore, mnemonic);
    if (failed) setProblem(failed);
  };

  if (mnemonic === undefined) {
    return (
      <form className="panel wallet-form" onSubmit={showWords} aria-labelledby="create-title">
        <h2 id="create-title">Create a wallet</h2>
        <NewWalletFields fields={fields} onChange={setFields} disabled={false} />
        <ProblemNote problem={problem} />
        <div className="row actions">
          <button type="submit" className="primary">
            Create
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <form className="panel wallet-form" onSubmit={save} aria-labelledby="words-title">
      <h2 id="words-title">Your 12 words</h2>
      <div className="words-warning" role="note">
        <strong>Write these 12 words down, in order, on paper.</strong> Anyone with them owns the
        coins of this wallet, and they are the only way back in if you forget the password. They
        will not be shown again.
      </div>
      <ol className="mnemonic" data-testid="mnemonic" translate="no">
        {mnemonic.split(' ').map((word, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a word may repeat; its place is its identity.
          <li key={i}>{word}</li>
        ))}
      </ol>
      <label className="check">
        <input
          type="checkbox"
          checked={writtenDown}
          disabled={working}
          onChange={(e) => setWrittenDown(e.target.checked)}
        />{' '}
        I have written the 12 words down
      </label>
      <ProblemNote problem={problem} />
      <div className="row actions">
        <button type="submit" className="primary" disabled={!writtenDown || working}>
          {working ? 'Encrypting…' : 'Save the wallet'}
        </button>
        <button type="button" disabled={working} onClick={onCancel}>
          Cancel
        </button>
        {working && (
          <span className="muted" role="status">
            working… encrypting with your password takes about a second
          </span>
        )}
      </div>
    </form>
  );
}
