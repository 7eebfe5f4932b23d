/**
 * What comes next: the block this node's miner would mine now (GET /api/next-block: its real
 * template, highest fee first with each sender's transfers in nonce order), and the whole mempool
 * by fee. Both follow the node's events.
 */
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { BlockLink } from '../../components/Links.tsx';
import { coins } from '../../format.ts';
import { useLoad } from '../../node.tsx';
import { coinAmount } from './coinAmount.ts';
import { TxTable } from './TxTable.tsx';

export function NextBlock() {
  const { data, error } = useLoad(
    (client) => client.request('nextBlock', {}),
    [],
    ['tx', 'block', 'reorg'],
  );
  const mempool = useLoad((client) => client.mempool(), [], ['tx', 'block', 'reorg']);
  const full = data ? Math.round((data.size_bytes / data.max_block_bytes) * 100) : 0;
  return (
    <section aria-labelledby="next-title">
      <h2 id="next-title">Next block {data && <>#{data.height}</>}</h2>
      <ErrorNote error={error} title="Could not project the next block." />
      {data && (
        <>
          <p className="muted" data-testid="next-block-summary">
            On <BlockLink id={data.parent_hash} />: {data.tx_count} of {data.pending_count} pending{' '}
            {data.pending_count === 1 ? 'transfer' : 'transfers'} · fees {coinAmount(data.fees)} ·
            reward {coinAmount(data.reward)} ({coins(data.subsidy)} new + fees) · {full}% full
          </p>
          {data.tx_count > 0 && (
            <TxTable txs={data.transactions} label="Transfers of the next block" />
          )}
        </>
      )}
      <h2>Mempool, highest fee first</h2>
      <ErrorNote error={mempool.error} title="Could not load the mempool." />
      {mempool.data &&
        (mempool.data.count === 0 ? (
          <p className="muted">Empty: every transfer this node knows is in a block.</p>
        ) : (
          <TxTable txs={mempool.data.transactions} label="Mempool by fee" />
        ))}
    </section>
  );
}
