/**
 * The name and password (typed twice) of a wallet about to be saved, shared by "Create" and
 * "Import from words", with the checks both need before the slow encryption starts.
 */
import { useId } from 'react';
import { checkPassword } from '../../../../src/wallet/index.ts';
import { failureError, type Problem } from './ProblemNote.tsx';
import { WALLET_NAME } from './walletStorage.ts';

export interface NewWallet {
  name: string;
  password: string;
  repeat: string;
}

export const emptyNewWallet: NewWallet = { name: '', password: '', repeat: '' };

/** Why these fields cannot make a wallet, or undefined when they can. */
export function checkNewWallet(
  fields: NewWallet,
  takenNames: readonly string[],
): Problem | undefined {
  if (!WALLET_NAME.test(fields.name)) {
    return 'A wallet name is up to 64 letters, digits, “.”, “_” or “-”, starting with a letter or digit.';
  }
  if (takenNames.includes(fields.name)) {
    return failureError({
      code: 'WALLET_EXISTS',
      detail: `this browser already has a wallet named "${fields.name}"`,
    });
  }
  const strong = checkPassword(fields.password);
  if (!strong.ok) return failureError(strong);
  if (fields.password !== fields.repeat)
    return 'The two passwords differ: type the same one twice.';
  return undefined;
}

export function NewWalletFields({
  fields,
  onChange,
  disabled,
}: {
  fields: NewWallet;
  onChange: (fields: NewWallet) => void;
  disabled: boolean;
}) {
  const id = useId();
  const field = (key: keyof NewWallet) => ({
    id: `${id}-${key}`,
    value: fields[key],
    disabled,
    required: true,
    onChange: (e: { target: { value: string } }) => onChange({ ...fields, [key]: e.target.value }),
  });
  return (
    <>
      <label htmlFor={`${id}-name`}>Wallet name</label>
      <input
        {...field('name')}
        autoComplete="off"
        spellCheck={false}
        maxLength={64}
        aria-describedby={`${id}-name-hint`}
      />
      <p className="muted hint" id={`${id}-name-hint`}>
        Letters, digits, “.”, “_” or “-”; the keystore file is called <i>name</i>.keystore.json.
      </p>
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        {...field('password')}
        type="password"
        autoComplete="new-password"
        aria-describedby={`${id}-password-hint`}
      />
      <p className="muted hint" id={`${id}-password-hint`}>
        At least 8 characters. It encrypts the wallet in this browser and in the file; it cannot be
        recovered.
      </p>
      <label htmlFor={`${id}-repeat`}>Password again</label>
      <input {...field('repeat')} type="password" autoComplete="new-password" />
    </>
  );
}
