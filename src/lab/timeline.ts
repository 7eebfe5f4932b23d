/**
 * The lab's one timeline of the whole network: what each node's event stream said, in the order
 * it arrived, with the time since the lab started. Blocks are tied to the node that found them,
 * so "received by Y after d ms" is measured on one clock (this process's). The merged block tree
 * and each node's tip are read from it. Exported as JSON and loaded again to replay.
 */

export type LabEvent =
  | Base<'found', { hash: string; height: number; prev_hash?: string }>
  | Base<'withheld', { hash: string; height: number; prev_hash: string; txs: number }>
  | Base<'released', { blocks: { hash: string; height: number; status: string }[] }>
  | Base<
      'block',
      {
        hash: string;
        height: number;
        prev_hash: string;
        found_by?: string;
        delay_ms?: number;
        /** Found while this node was away (not yet added, stopped or asleep): no delay to give. */
        caught_up?: boolean;
      }
    >
  | Base<'reorg', { depth: number; old_tip: string; new_tip: string; fork_height: number } & Rec>
  | Base<'tx', { id: string }>
  | Base<'tx_refused', { id: string; code: string; detail: string }>
  | Base<'control', { action: string; detail: string }>
  | Base<'story', { text: string }>;

type Rec = Record<string, unknown>;
type Base<K extends string, D> = { at: number; node: string; kind: K } & D;
export type LabEventKind = LabEvent['kind'];
/** An event as given to add(): its time is now unless given. */
export type NewLabEvent = LabEvent extends infer E
  ? E extends LabEvent
    ? Omit<E, 'at'> & { at?: number }
    : never
  : never;

export interface TreeBlock {
  readonly hash: string;
  readonly height: number;
  readonly prev_hash: string;
  /** The node that found it, if the lab saw it found. */
  found_by?: string;
  withheld?: boolean;
  /** When each node connected it (ms since the lab started). */
  readonly seen: Record<string, number>;
}

export interface TimelineFile {
  readonly version: 1;
  readonly started_at: string;
  readonly nodes: readonly string[];
  readonly events: readonly LabEvent[];
}

type Waiter = { test: (event: LabEvent) => boolean; resolve: (event: LabEvent) => void };

export class Timeline {
  readonly events: LabEvent[] = [];
  private readonly foundAt = new Map<string, { node: string; at: number }>();
  /** When each node last came onto the network (added, restarted, woken), if it did. */
  private readonly backAt = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(event: LabEvent) => void>();
  readonly startedMs = Date.now();

  now(): number {
    return Date.now() - this.startedMs;
  }

  /** Adds an event (its `at` is now unless given) and wakes whoever waits for it. */
  add(event: NewLabEvent): LabEvent {
    const full = { ...event, at: event.at ?? this.now() } as LabEvent;
    if (full.kind === 'found' || full.kind === 'withheld')
      this.found(full.hash, full.node, full.at);
    if (full.kind === 'block') {
      const found = this.foundAt.get(full.hash);
      if (found) this.tie(full, found);
    }
    this.events.push(full);
    for (const waiter of this.waiters) {
      if (waiter.test(full)) {
        this.waiters.delete(waiter);
        waiter.resolve(full);
      }
    }
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /**
   * A node found a block. Its own `block` event (connected) comes before its `mined` one, and
   * other nodes' streams may be read first: found is the earliest of them on the finder, and
   * the blocks seen before are given their finder and delay now.
   */
  private found(hash: string, node: string, at: number): void {
    if (this.foundAt.has(hash)) return;
    const earlier = this.events.filter(
      (e): e is LabEvent & { kind: 'block' } => e.kind === 'block' && e.hash === hash,
    );
    const own = earlier.find((e) => e.node === node);
    const found = { node, at: Math.min(at, own?.at ?? at) };
    this.foundAt.set(hash, found);
    for (const e of earlier) this.tie(e, found);
  }

  /** A node came onto the network (added, restarted, woken): what was found before, it catches up. */
  back(node: string, at = this.now()): void {
    this.backAt.set(node, at);
  }

  /**
   * Gives a block event its finder and, when the node was there to hear of it, the delay. NOTE: a
   * node added later connects the chain's old blocks within seconds; "after 41,000 ms" beside
   * them read as a slow network.
   */
  private tie(e: LabEvent & { kind: 'block' }, found: { node: string; at: number }): void {
    e.found_by = found.node;
    if (e.node === found.node) return;
    if (found.at < (this.backAt.get(e.node) ?? 0)) e.caught_up = true;
    else e.delay_ms = Math.max(0, e.at - found.at);
  }

  /** Turns one node's stream event into timeline events. */
  addFromNode(node: string, type: string, data: unknown): void {
    const d = data as Rec;
    switch (type) {
      case 'mined':
        this.add({ node, kind: 'found', hash: String(d.hash), height: Number(d.height) });
        return;
      case 'block':
        this.add({
          node,
          kind: 'block',
          hash: String(d.hash),
          height: Number(d.height),
          prev_hash: String(d.prev_hash),
        });
        return;
      case 'reorg':
        this.add({ ...(d as object), node, kind: 'reorg' } as NewLabEvent);
        return;
      case 'tx':
        this.add({ node, kind: 'tx', id: String(d.id) });
        return;
      case 'tx_refused':
        this.add({
          node,
          kind: 'tx_refused',
          id: String(d.id),
          code: String(d.code),
          detail: String(d.detail),
        });
        return;
      case 'lab':
        if (d.action === 'withheld')
          this.add({
            node,
            kind: 'withheld',
            hash: String(d.hash),
            height: Number(d.height),
            prev_hash: String(d.prev_hash),
            txs: Number(d.txs),
          });
        else if (d.action === 'released')
          this.add({ node, kind: 'released', blocks: d.blocks as never });
        return;
      default:
      // miner status and others: not on the timeline
    }
  }

  onEvent(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first event from now on for which `test` holds; rejects after `timeoutMs`. */
  waitFor(
    test: (event: LabEvent) => boolean,
    what: string,
    timeoutMs = 120_000,
  ): Promise<LabEvent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`the lab waited ${timeoutMs / 1000} s for ${what}`));
      }, timeoutMs);
      // A wait nobody needs any more (its caller moved on) must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
      this.waiters.add(waiter);
    });
  }

  /** The first event so far for which `test` holds, or else the next one. */
  seenOrWait(
    test: (event: LabEvent) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<LabEvent> {
    const seen = this.events.find(test);
    return seen ? Promise.resolve(seen) : this.waitFor(test, what, timeoutMs);
  }

  toJSON(nodes: readonly string[]): TimelineFile {
    return {
      version: 1,
      started_at: new Date(this.startedMs).toISOString(),
      nodes,
      events: this.events,
    };
  }
}

/** The merged block tree and each node's tip, from the events up to `until` (ms). */
export function treeOf(
  events: readonly LabEvent[],
  until = Number.POSITIVE_INFINITY,
): { blocks: Map<string, TreeBlock>; tips: Record<string, string> } {
  const blocks = new Map<string, TreeBlock>();
  const tips: Record<string, string> = {};
  const heights: Record<string, number> = {};
  const ensure = (hash: string, height: number, prev: string) => {
    let block = blocks.get(hash);
    if (!block) {
      block = { hash, height, prev_hash: prev, seen: {} };
      blocks.set(hash, block);
    }
    return block;
  };
  for (const event of events) {
    if (event.at > until) break;
    if (event.kind === 'withheld') {
      const block = ensure(event.hash, event.height, event.prev_hash);
      block.found_by = event.node;
      block.withheld = true;
    } else if (event.kind === 'block') {
      const block = ensure(event.hash, event.height, event.prev_hash);
      if (event.found_by) block.found_by = event.found_by;
      block.withheld = false;
      block.seen[event.node] = event.at;
      // A 'block' event is a block connected to the node's main chain: its new tip.
      tips[event.node] = event.hash;
      heights[event.node] = event.height;
    } else if (event.kind === 'found') {
      const block = blocks.get(event.hash);
      if (block) block.found_by = event.node;
    } else if (event.kind === 'reorg') {
      tips[event.node] = event.new_tip;
    }
  }
  return { blocks, tips };
}
