/**
 * One line of words for a timeline event: the CLI prints it, the Lab page shows it. Pure (the
 * browser bundles it).
 */
import type { LabEvent } from './timeline.js';

const short = (hash: string) => hash.slice(0, 10);

export function describeEvent(e: LabEvent): string {
  switch (e.kind) {
    case 'found':
      return `${e.node} found block ${e.height} ${short(e.hash)}`;
    case 'withheld':
      return `${e.node} found block ${e.height} ${short(e.hash)} and keeps it to itself${e.txs > 0 ? ` (${e.txs} private transfer(s))` : ''}`;
    case 'released':
      return `${e.node} releases ${e.blocks.length} private block(s): ${e.blocks.map((b) => `${b.height} ${b.status}`).join(', ')}`;
    case 'block':
      if (e.found_by === e.node)
        return `${e.node} connects its own block ${e.height} ${short(e.hash)}`;
      if (e.caught_up)
        return `${e.node} catches up block ${e.height} ${short(e.hash)} from ${e.found_by} (found while it was away)`;
      return `${e.node} connects block ${e.height} ${short(e.hash)}${e.found_by ? ` from ${e.found_by}` : ''}${e.delay_ms === undefined ? '' : ` after ${e.delay_ms} ms`}`;
    case 'reorg': {
      const extra = reorgDetail(e);
      return `${e.node} reorganises: ${e.depth} block(s) left behind, back to height ${e.fork_height}, new tip ${short(e.new_tip)}${extra}`;
    }
    case 'tx':
      return `${e.node} accepts transfer ${short(e.id)}`;
    case 'tx_refused':
      return `${e.node} refuses transfer ${short(e.id)}: ${e.code}`;
    case 'control':
      return `lab: ${e.action} — ${e.detail}`;
    case 'story':
      return e.text;
  }
}

/** What the node's reorg event says beyond depth and tips, when it says it (issue 14's reorg details). */
function reorgDetail(e: LabEvent & { kind: 'reorg' }): string {
  const count = (key: string) => {
    const value = (e as Record<string, unknown>)[key];
    return Array.isArray(value) ? value.length : typeof value === 'number' ? value : undefined;
  };
  const returned = count('returned');
  const reconfirmed = count('reconfirmed');
  const dropped = count('dropped');
  const parts = [
    returned ? `${returned} transfer(s) back to the pool` : '',
    reconfirmed ? `${reconfirmed} confirmed again in the new blocks` : '',
    dropped ? `${dropped} dropped as conflicts` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}
