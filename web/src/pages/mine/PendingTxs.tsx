/** The mempool, highest fee first, reloaded as transfers arrive and blocks take them. */
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useLoad } from '../../node.tsx';
import { TxTable } from '../explorer/TxTable.tsx';

export function PendingTxs() {
  const { data, error } = useLoad((client) => client.mempool(), [], ['tx', 'block', 'reorg']);
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">
        Pending transactions{' '}
        {data && (
          <span className="badge" data-testid="pending-count">
            {data.count}
          </span>
        )}
      </h2>
      <ErrorNote error={error} title="Could not load the mempool." />
      {data && data.count === 0 && (
        <p className="muted">None: the next block will hold only its reward.</p>
      )}
      {data && data.count > 0 && (
        <>
          <TxTable txs={data.transactions} label="Pending transactions" />
          {data.count > data.transactions.length && (
            <p className="muted">
              The {data.transactions.length} with the highest fees of {data.count}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
