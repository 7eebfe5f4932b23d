/**
 * An unlocked wallet: its addresses with what the node says of each, "Add address", the form
 * that makes transactions, and Lock. The keys exist only in this component's props and state;
 * Lock (or leaving the page) forgets them.
 */
import { type ReactNode, useMemo } from 'react';
import type { NodeInfo } from '../../../../src/api/client.ts';
import {
  type Account,
  accountAddress,
  type Keystore,
  type WalletNetwork,
} from '../../../../src/wallet/index.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { AccountCard } from './AccountCard.tsx';
import { SendForm, type WalletAddress } from './SendForm.tsx';
import { useAccountViews } from './useAccountViews.ts';
import { downloadKeystore } from './walletStorage.ts';

export interface Unlocked {
  readonly name: string;
  readonly derive: (index: number) => Account;
}

export function UnlockedWallet({
  keystore,
  derive,
  info,
  notice,
  onLock,
  onAccounts,
}: {
  keystore: Keystore;
  derive: (index: number) => Account;
  info: NodeInfo;
  notice: ReactNode;
  onLock: () => void;
  onAccounts: (count: number) => void;
}) {
  const count = Math.max(1, keystore.accounts);
  const network: WalletNetwork = useMemo(
    () => ({ chainId: info.chain_id, addressPrefix: info.address_prefix }),
    [info.chain_id, info.address_prefix],
  );
  const addresses: WalletAddress[] = useMemo(
    () =>
      Array.from({ length: count }, (_, index) => {
        const account = derive(index);
        return { account, address: accountAddress(account, network.addressPrefix) };
      }),
    [count, derive, network.addressPrefix],
  );
  const views = useAccountViews(addresses.map((a) => a.address));

  return (
    <>
      <section aria-labelledby="wallet-title">
        <div className="row wallet-head">
          <h1 id="wallet-title">
            Wallet <span className="wallet-name">{keystore.name}</span>{' '}
            <span className="badge good">unlocked</span>
          </h1>
          <div className="row">
            <button type="button" onClick={() => downloadKeystore(keystore)}>
              Download keystore
            </button>
            <button type="button" className="danger" onClick={onLock}>
              Lock
            </button>
          </div>
        </div>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
      </section>
      <ErrorNote error={views.error} title="The node did not answer about these addresses." />
      <div className="wallet-columns">
        <section aria-label="Addresses" className="accounts">
          {addresses.map(({ account, address }, i) => (
            <AccountCard
              key={address}
              index={account.index}
              address={address}
              data={views.data?.[i]}
            />
          ))}
          <div className="row">
            <button type="button" onClick={() => onAccounts(count + 1)}>
              Add address
            </button>
            <span className="muted">derives address {count} from this wallet’s words</span>
          </div>
        </section>
        <SendForm addresses={addresses} data={views.data} network={network} />
      </div>
    </>
  );
}
