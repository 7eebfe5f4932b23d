/**
 * How an empty address gets coins (issue 15, point 6): the class faucet when the node has one
 * on; else the node's own coins (its mining rewards), which only its operator may send, from
 * the node's machine: a button that works there, and what to ask for anywhere else.
 */
import type { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useCall, useLoad, useNode } from '../../node.tsx';
import { FaucetButton } from './FaucetButton.tsx';

const NODE_COINS = 10;

export function GetCoins({ address }: { address: string }) {
  const { client, info } = useNode();
  const faucet = useLoad((c) => c.request('faucet'), []);
  const { busy, answer: sent, error, run } = useCall<string>();
  if (!faucet.data && !faucet.error) return null;
  if (faucet.data?.available && faucet.data.enabled) return <FaucetButton address={address} />;

  const fromNode = () =>
    info &&
    run(async () => {
      const answer = await client.request('newTransaction', {
        body: { sender: info.node_address, recipient: address, amount: NODE_COINS },
      });
      return `${answer.message}: ${NODE_COINS} coins from the node's wallet.`;
    });
  return (
    <div className="get-coins" data-testid="get-coins">
      <p className="muted">
        No coins yet? This node has no faucet; its own coins (its mining rewards) can be sent by its
        operator, from the node's machine.
      </p>
      {sent ? (
        <p className="notice" role="status">
          {sent} They count once the next block is mined.
        </p>
      ) : (
        <button type="button" className="small-button" onClick={fromNode} disabled={busy || !info}>
          {busy ? 'Asking…' : `Get ${NODE_COINS} coins from this node's wallet`}
        </button>
      )}
      <ErrorNote error={error} title={coinsTitle(error)} />
    </div>
  );
}

function coinsTitle(error: ClientError | undefined): string {
  if (error?.code === 'API_UNAUTHORIZED')
    return 'Only the node’s operator may send its coins: ask them, or open this page on the node’s machine.';
  if (error?.code === 'TX_INSUFFICIENT_FUNDS')
    return 'The node has no coins to give yet: mine a block on the Mine page first.';
  return 'The node did not send coins.';
}
