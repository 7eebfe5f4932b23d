/**
 * What each lab node says of itself right now (tip, mempool, peers, miner, and optionally one
 * transfer's state), in a few lines: a wait that times out says this, so that a run that hung
 * on a loaded machine tells why instead of only what it waited for.
 */
import { txState } from './actors.js';
import type { Lab } from './lab.js';

const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 10) : '-');

/** One line a node; a node that does not answer says so (it may be paused or stopped). */
export async function describeNetwork(lab: Lab, txId?: string): Promise<string> {
  const lines = await Promise.all(
    lab.names.map(async (name) => {
      try {
        const client = lab.client(name);
        const [info, mempool, peers, status, tx] = await Promise.all([
          client.info(),
          client.request('mempool'),
          client.request('peers'),
          lab.status(name),
          txId === undefined ? undefined : txState(lab, name, txId),
        ]);
        const pool = mempool.transactions.map((t) => short(t.id)).join(' ');
        const peerStates = peers.peers
          .map((p) => {
            const at = lab.names.find((n) => lab.node(n).url === p.url) ?? p.url;
            const error = p.last_error ? ` ${p.last_error.code}` : '';
            return `${at}=${p.state}@${p.tip_height ?? '?'}:${short(p.tip_hash)}${error}`;
          })
          .join(', ');
        const mining = status.mining ? 'mining' : 'idle';
        const txPart = tx === undefined ? '' : `; tx ${short(txId)}: ${describeTx(tx)}`;
        return `${name} (${lab.node(name).state}, ${mining}): tip ${info.height}:${short(info.tip_hash)}; mempool ${info.mempool_size} [${pool}]; peers ${peerStates}${txPart}`;
      } catch (error) {
        return `${name} (${lab.node(name).state}): does not answer (${(error as Error).message})`;
      }
    }),
  );
  return lines.join('\n');
}

function describeTx(state: Awaited<ReturnType<typeof txState>>): string {
  switch (state.status) {
    case 'confirmed':
      return `confirmed (${state.confirmations}) in ${short(state.block)}`;
    case 'dropped':
      return `dropped (${state.reason})`;
    default:
      return state.status;
  }
}
