/**
 * Keeps a loaded view fresh: reloads after new blocks and reorgs, and every `everyMs` for what
 * no event announces (a peer's tip, its latency). PERF: a node syncing thousands of blocks sends
 * an event for each, so events within `coalesceMs` of the first cause one reload, not thousands.
 */
import { useEffect, useRef } from 'react';
import { useNodeEvents } from '../../node.tsx';

export function useLiveReload(reload: () => void, everyMs?: number, coalesceMs = 250): void {
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useNodeEvents(['block', 'reorg'], () => {
    if (pending.current !== undefined) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      reload();
    }, coalesceMs);
  });
  useEffect(() => () => clearTimeout(pending.current), []);
  useEffect(() => {
    if (everyMs === undefined) return;
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
}
