/**
 * The selfish miner's next move (Eyal and Sirer 2014, Algorithm 1), from what its node sees now:
 * its public tip, the block its private branch grows from, and the private blocks not yet
 * released. Pure, so that the rules can be read and tested apart from the nodes.
 *
 *   lead < 0            the public chain is ahead: adopt it (mine privately from its tip again)
 *   lead = 0, private   the honest network just matched a lead of 1: release it, a race of two
 *                       blocks of the same height (honest miners keep the one they saw first)
 *   lead = 1            a lead of 1 from the public tip: keep it; from anywhere else (the honest
 *                       network caught up from 2, or the attacker won the race): release all,
 *                       its branch is longer and every node takes it
 *   lead ≥ 2            release the private blocks up to the public height (each one matches
 *                       an honest block and makes it a race the attacker will win)
 */

export interface SelfishView {
  readonly publicHeight: number;
  readonly publicTip: string;
  /** The block the private branch grows from (after a release: the last released block). */
  readonly baseHeight: number;
  readonly baseHash: string;
  /** The private blocks not released yet, lowest first. */
  readonly pending: readonly { readonly height: number }[];
}

export type SelfishMove =
  | { readonly kind: 'wait'; readonly lead: number }
  | { readonly kind: 'adopt'; readonly lead: number }
  | {
      readonly kind: 'release';
      readonly lead: number;
      readonly count: number;
      readonly why: string;
    };

export function selfishMove(view: SelfishView): SelfishMove {
  const lead = view.baseHeight + view.pending.length - view.publicHeight;
  if (lead < 0) return { kind: 'adopt', lead };
  if (lead === 0)
    return view.pending.length > 0
      ? { kind: 'release', lead, count: view.pending.length, why: 'match' }
      : { kind: 'wait', lead };
  if (lead === 1)
    return view.baseHash === view.publicTip || view.pending.length === 0
      ? { kind: 'wait', lead }
      : { kind: 'release', lead, count: view.pending.length, why: 'win' };
  const count = view.pending.filter((b) => b.height <= view.publicHeight).length;
  return count > 0 ? { kind: 'release', lead, count, why: 'match' } : { kind: 'wait', lead };
}
