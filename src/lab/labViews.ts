/**
 * What the Lab page shows of each running node besides its lab status: its mempool, and what
 * the scenario's people (attacker, merchant, each node's miner) hold on its chain. Nodes can
 * disagree (a fork, a withheld block, a race between two transfers): that is the point, so each
 * node is asked. Amounts stay base units (decimal strings) here; the page shows coins.
 */
import type { Lab } from './lab.js';

/** At most this many pending transfers listed per node (the count is exact). */
const LISTED = 20;

export interface ActorView {
  readonly name: string;
  readonly address: string;
}

export interface NodeViews {
  readonly mempool: {
    readonly count: number;
    readonly txs: readonly { id: string; from: string; to: string; amount: string; fee: string }[];
  };
  /** Balance (base units) of each actor by name, as this node's best chain has it. */
  readonly balances: Readonly<Record<string, string>>;
}

/** The scenario's people, then each node's miner unless it pays one of them. */
export function actorsOf(lab: Lab): ActorView[] {
  const actors = [...lab.actors].map(([name, address]) => ({ name, address }));
  for (const name of lab.names) {
    const address = lab.rewardAddress(name);
    if (address && !actors.some((a) => a.address === address))
      actors.push({ name: `${name}'s miner`, address });
  }
  return actors;
}

export async function readNodeViews(
  lab: Lab,
  name: string,
  actors: readonly ActorView[],
): Promise<NodeViews> {
  const client = lab.client(name);
  const [mempool, ...accounts] = await Promise.all([
    client.mempool(),
    ...actors.map((a) => client.account(a.address)),
  ]);
  return {
    mempool: {
      count: mempool.count,
      txs: mempool.transactions
        .slice(0, LISTED)
        .flatMap((tx) =>
          tx.type === 'transfer'
            ? [{ id: tx.id, from: tx.from, to: tx.to, amount: tx.amount, fee: tx.fee }]
            : [],
        ),
    },
    balances: Object.fromEntries(actors.map((a, i) => [a.name, String(accounts[i]!.balance)])),
  };
}
