/**
 * Mining from the browser: one block now, the continuous miner, the node's own wallet (the
 * tutorials' node identifier), and what is waiting and what was just mined, all live.
 */
import { MineNow } from './MineNow.tsx';
import { MinerControl } from './MinerControl.tsx';
import { NonceSearch } from './NonceSearch.tsx';
import { PendingTxs } from './PendingTxs.tsx';
import { RecentBlocks } from './RecentBlocks.tsx';
import { SendFromNode } from './SendFromNode.tsx';
import './mine.css';

export function MinePage() {
  return (
    <>
      <section aria-labelledby="mine-title">
        <h1 id="mine-title">Mine</h1>
        <div className="grid mine-grid">
          <MineNow />
          <NonceSearch />
          <MinerControl />
          <SendFromNode />
        </div>
      </section>
      <PendingTxs />
      <RecentBlocks />
    </>
  );
}
