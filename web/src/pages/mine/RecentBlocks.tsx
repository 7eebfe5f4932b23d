/** The newest blocks; each one connected appears at the top as it arrives, marked as new. */
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useLoad } from '../../node.tsx';
import { href } from '../../router.ts';
import { fetchBlocks } from '../explorer/api.ts';
import { BlocksTable, useFreshHashes } from '../explorer/BlocksTable.tsx';

const RECENT = 8;

export function RecentBlocks() {
  const { data, error } = useLoad(
    (client) => fetchBlocks(client, undefined, RECENT),
    [],
    ['block', 'reorg'],
  );
  const fresh = useFreshHashes(data?.blocks);
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">Recent blocks</h2>
      <ErrorNote error={error} title="Could not load the blocks." />
      {data && <BlocksTable blocks={data.blocks} label="Recent blocks" fresh={fresh} />}
      <p>
        <a href={href('explorer')}>All blocks in the explorer</a>
      </p>
    </section>
  );
}
