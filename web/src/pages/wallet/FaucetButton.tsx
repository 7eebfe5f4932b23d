/**
 * Coins for a new wallet from the node's faucet (POST /api/faucet), shown only when the node
 * has one and it is on: how a student with only a browser gets something to send.
 */
import { useState } from 'react';
import type { Client, ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useLoad, useNode } from '../../node.tsx';

const loadFaucet = (client: Client) => client.request('faucet');

export function FaucetButton({ address }: { address: string }) {
  const { client } = useNode();
  const faucet = useLoad(loadFaucet, []);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string>();
  const [error, setError] = useState<ClientError>();
  if (!faucet.data?.available || !faucet.data.enabled) return null;
  async function ask() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await client.request('faucetPay', { body: { address } });
      setSent(`${answer.message}: it counts once the next block is mined.`);
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="faucet" data-testid="faucet">
      {sent ? (
        <p className="notice" role="status">
          {sent}
        </p>
      ) : (
        <button type="button" className="small-button" onClick={ask} disabled={busy}>
          {busy ? 'Asking…' : `Get ${faucet.data.amount_coins} coins from the faucet`}
        </button>
      )}
      <ErrorNote error={error} title="The faucet did not pay." />
    </div>
  );
}
