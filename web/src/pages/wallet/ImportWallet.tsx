/**
 * Bringing a wallet into this browser: from its words (sealed here under a new password), or
 * from a keystore file (`blockyard wallet` writes them; this page downloads them), kept as it is
 * once its password has opened it.
 */
import { type FormEvent, useId, useState } from 'react';
import {
  type Keystore,
  openKeystore,
  parseKeystore,
  parseMnemonic,
  randomBytes,
  sealKeystore,
} from '../../../../src/wallet/index.ts';
import {
  checkNewWallet,
  emptyNewWallet,
  type NewWallet,
  NewWalletFields,
} from './NewWalletFields.tsx';
import { failureError, type Problem, ProblemNote } from './ProblemNote.tsx';

interface ImportProps {
  takenNames: readonly string[];
  onImported: (keystore: Keystore, mnemonic: string) => Problem | undefined;
}

export function ImportWallet({ onCancel, ...props }: ImportProps & { onCancel: () => void }) {
  return (
    <>
      <div className="import-grid">
        <ImportWords {...props} />
        <ImportFile onImported={props.onImported} />
      </div>
      <div className="row actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

function ImportWords({ takenNames, onImported }: ImportProps) {
  const id = useId();
  const [words, setWords] = useState('');
  const [fields, setFields] = useState<NewWallet>(emptyNewWallet);
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const mnemonic = parseMnemonic(words);
    const wrong = mnemonic.ok ? checkNewWallet(fields, takenNames) : failureError(mnemonic);
    setProblem(wrong);
    if (wrong || !mnemonic.ok) return;
    setWorking(true);
    const keystore = await sealKeystore({
      name: fields.name,
      mnemonic: mnemonic.value,
      password: fields.password,
      createdAt: new Date(),
      random: randomBytes,
    });
    setWorking(false);
    setProblem(onImported(keystore, mnemonic.value));
  };

  return (
    <form className="panel wallet-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import from the words</h2>
      <label htmlFor={`${id}-words`}>The words, in order (12, or up to 24)</label>
      <textarea
        id={`${id}-words`}
        rows={3}
        value={words}
        disabled={working}
        required
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        onChange={(e) => setWords(e.target.value)}
      />
      <NewWalletFields fields={fields} onChange={setFields} disabled={working} />
      <ProblemNote problem={problem} />
      <div className="row actions">
        <button type="submit" className="primary" disabled={working}>
          {working ? 'Encrypting…' : 'Import the words'}
        </button>
        {working && (
          <span className="muted" role="status">
            working…
          </span>
        )}
      </div>
    </form>
  );
}

function ImportFile({ onImported }: Pick<ImportProps, 'onImported'>) {
  const id = useId();
  const [file, setFile] = useState<File>();
  const [password, setPassword] = useState('');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setProblem(undefined);
    const keystore = parseKeystore(await readJson(file));
    if (!keystore.ok) return setProblem(failureError(keystore));
    setWorking(true);
    const opened = await openKeystore(keystore.value, password);
    setWorking(false);
    if (!opened.ok) return setProblem(failureError(opened));
    setProblem(onImported(keystore.value, opened.value));
  };

  return (
    <form className="panel wallet-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import a keystore file</h2>
      <label htmlFor={`${id}-file`}>Keystore file (.json)</label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".json,application/json"
        required
        disabled={working}
        onChange={(e) => setFile(e.target.files?.[0])}
      />
      <label htmlFor={`${id}-password`}>Its password</label>
      <input
        id={`${id}-password`}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        disabled={working}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ProblemNote problem={problem} />
      <div className="row actions">
        <button type="submit" className="primary" disabled={working || !file}>
          {working ? 'Opening…' : 'Import the file'}
        </button>
        {working && (
          <span className="muted" role="status">
            working… checking the password
          </span>
        )}
      </div>
    </form>
  );
}

/** The file's JSON, or a value parseKeystore refuses with its own message. */
async function readJson(file: File): Promise<unknown> {
  try {
    return JSON.parse(await file.text());
  } catch {
    return 'not JSON';
  }
}
