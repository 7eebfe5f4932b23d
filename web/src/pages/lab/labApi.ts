/**
 * The lab controller's API (src/lab/labServer.ts), served beside the dashboard by
 * `blockyard lab`; an ordinary node has none, and the page says how to start a lab.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabEvent, TimelineFile } from '../../../../src/lab/timeline.ts';
import type { LoadedBatch } from './theoryChart.ts';

export interface LabNodeView {
  readonly name: string;
  readonly url: string | null;
  readonly state: 'starting' | 'running' | 'paused' | 'stopped';
  readonly status: {
    readonly hash_rate_cap: number | null;
    readonly hash_rate: number;
    readonly mining: boolean;
    readonly links: readonly { peer: string; cut: boolean; delay_ms: number }[];
    readonly withholding: { readonly on: boolean; readonly blocks: readonly unknown[] };
  } | null;
  /** Its mempool and what each actor holds on its chain (null: not running, or no answer). */
  readonly views: {
    readonly mempool: {
      readonly count: number;
      readonly txs: readonly {
        id: string;
        from: string;
        to: string;
        amount: string;
        fee: string;
      }[];
    };
    /** Base units by actor name. */
    readonly balances: Readonly<Record<string, string>>;
  } | null;
}

/** A person of the scenario (or a node's miner) whose balance the page shows. */
export interface LabActor {
  readonly name: string;
  readonly address: string;
}

export interface ScenarioRunView {
  readonly name: string;
  readonly running: boolean;
  readonly result?: {
    attackSucceeded: boolean;
    merchantShipped: boolean;
    payment: string;
    runMs: number;
    figures?: Record<string, string | number | boolean>;
  };
  readonly error?: string;
}

/** A batch started from the page (`POST /lab/api/batch`), as the lab server reports it. */
export interface BatchRunView {
  readonly kind: 'majority' | 'selfish';
  readonly running: boolean;
  readonly done: number;
  readonly total: number;
  readonly result?: LoadedBatch;
  readonly error?: string;
}

export interface LabState {
  readonly nodes: readonly LabNodeView[];
  readonly actors: readonly LabActor[];
  readonly events: readonly LabEvent[];
  readonly scenario: ScenarioRunView | null;
  readonly batch?: BatchRunView | null;
}

const POLL_MS = 700;

/** Follows the lab: its nodes and the whole timeline, fetched as it grows. */
export function useLabState(): {
  state: LabState | undefined;
  missing: boolean;
  refresh: () => void;
} {
  const [state, setState] = useState<LabState>();
  const [missing, setMissing] = useState(false);
  const events = useRef<LabEvent[]>([]);
  const tick = useCallback(async () => {
    try {
      const response = await fetch(`/lab/api/state?since=${events.current.length}`);
      if (!response.ok) throw new Error(String(response.status));
      const body = (await response.json()) as LabState & { total: number };
      // A new lab (a scenario started) begins a new timeline.
      if (body.total < events.current.length) {
        const whole = await (await fetch('/lab/api/state?since=0')).json();
        events.current = [...(whole as LabState).events];
      } else events.current = [...events.current, ...body.events];
      setState({
        nodes: body.nodes,
        actors: body.actors ?? [],
        scenario: body.scenario,
        batch: body.batch ?? null,
        events: events.current,
      });
      setMissing(false);
    } catch {
      setMissing(true);
    }
  }, []);
  useEffect(() => {
    void tick();
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => clearInterval(timer);
  }, [tick]);
  return { state, missing, refresh: () => void tick() };
}

/** POSTs to the lab server; a refusal throws its message and code. */
async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return;
  const answer = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string };
  };
  const { code, message } = answer.error ?? {};
  throw new Error(
    message ? `${message}${code ? ` (${code})` : ''}` : `the lab answered ${response.status}`,
  );
}

export function labControl(body: Record<string, unknown>): Promise<void> {
  return post('/lab/api/control', body);
}

export function runLabScenario(name: string, k: number): Promise<void> {
  return post('/lab/api/scenario', { name, k });
}

export function exportTimeline(nodes: readonly string[], events: readonly LabEvent[]): void {
  const file: TimelineFile = {
    version: 1,
    started_at: new Date().toISOString(),
    nodes,
    events,
  };
  const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'blockyard-lab-timeline.json';
  link.click();
  URL.revokeObjectURL(link.href);
}

export function parseTimeline(text: string): TimelineFile | string {
  try {
    const file = JSON.parse(text) as TimelineFile;
    if (file.version !== 1 || !Array.isArray(file.events) || !Array.isArray(file.nodes))
      return 'not a lab timeline (version 1 with nodes and events)';
    return file;
  } catch {
    return 'not JSON';
  }
}

/** Starts a small batch on real nodes from the page (the lab server caps its size). */
export async function runLabBatch(body: {
  kind: 'majority' | 'selfish';
  q: number[];
  k: number[];
  trials: number;
  blocks?: number;
}): Promise<void> {
  return post('/lab/api/batch', body);
}
