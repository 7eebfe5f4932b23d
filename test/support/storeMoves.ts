/**
 * A store's main chain moved back as the chain moves it (ChainMoves.moveTo): in one StoreSwitch,
 * committed, or aborted on a throw. For tests and benches that move a store without a chain.
 */
import type { ChainStore, ReplayBlock, StoreSwitch } from '../../src/storage/types.js';

function committed<T>(store: ChainStore, move: (sw: StoreSwitch) => T): T {
  const sw = store.beginSwitch();
  try {
    const moved = move(sw);
    sw.commit();
    return moved;
  } catch (error) {
    sw.abort();
    throw error;
  }
}

/** Takes the tip block off with its undo data; its hash. */
export function disconnectTip(store: ChainStore): Uint8Array {
  return committed(store, (sw) => sw.disconnectTip());
}

/**
 * Takes the main chain back to `height` past the undo window (StoreSwitch.rewind, every step at
 * once); the hashes taken off, tip first.
 */
export function rewindTo(store: ChainStore, height: number, replay: ReplayBlock): Uint8Array[] {
  return committed(store, (sw) => {
    const steps = sw.rewind(height, replay);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  });
}
