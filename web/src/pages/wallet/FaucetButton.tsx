/**
 * Coins for a new wallet from the node's faucet (POST /api/faucet), shown only when the node
 * has one and it is on: how a student with only a browser gets something to send.
 */
import type { Client } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useCall, useLoad, useNode } from '../../node.tsx';

const loadFaucet = (client: Client) => client.request('faucet');

export function FaucetButton({ address }: { address: string }) {
  const { client } = useNode();
  const faucet = useLoad(loadFaucet, []);
  const { busy, answer: sent, error, run } = useCall<string>();
  if (!faucet.data?.available || !faucet.data.enabled) return null;
  const ask = () =>
    run(async () => {
      const answer = await client.request('faucetPay', { body: { address } });
      return `${answer.message}: it counts once the next block is mined.`;
    });
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
