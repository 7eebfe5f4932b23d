/**
 * The node this page came from: one API client, its /api/info kept fresh, and its event stream
 * (/api/events) passed to any component that listens. Pages talk to the node only through this.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { type Client, ClientError, createClient, type NodeInfo } from '../../src/api/client.ts';

export type NodeEventType = 'block' | 'reorg' | 'tx' | 'miner' | 'mining' | 'mined';
const EVENT_TYPES: NodeEventType[] = ['block', 'reorg', 'tx', 'miner', 'mining', 'mined'];
/** How long the page waits before opening a closed event stream again, doubling up to the max. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 10_000;

interface NodeState {
  client: Client;
  info: NodeInfo | undefined;
  /** Why the last /api/info failed, while it fails. */
  error: ClientError | undefined;
  /** Whether the event stream is open. */
  live: boolean;
  events: EventTarget;
  refreshInfo: () => void;
}

const NodeContext = createContext<NodeState | undefined>(undefined);

export function NodeProvider({ children }: { children: ReactNode }) {
  const client = useMemo(() => createClient({ baseUrl: window.location.origin }), []);
  const events = useMemo(() => new EventTarget(), []);
  const [info, setInfo] = useState<NodeInfo>();
  const [error, setError] = useState<ClientError>();
  const [live, setLive] = useState(false);

  // PERF: one /api/info in flight at a time, and one more after it if asked meanwhile: a busy
  // network (a lab's blocks and transfers, several a second) asked once per event, and a loaded
  // node fell behind until the browser's calls timed out.
  const asking = useRef<'idle' | 'asking' | 'again'>('idle');
  const refreshInfo = useCallback(() => {
    if (asking.current !== 'idle') {
      asking.current = 'again';
      return;
    }
    asking.current = 'asking';
    client
      .info()
      .then(
        (next) => {
          setInfo(next);
          setError(undefined);
        },
        (e: unknown) => setError(asClientError(e)),
      )
      .finally(() => {
        const again = asking.current === 'again';
        asking.current = 'idle';
        if (again) refreshInfo();
      });
  }, [client]);

  useEffect(() => {
    refreshInfo();
    const timer = setInterval(refreshInfo, 10_000);
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let wait = RETRY_FIRST_MS;
    const open = () => {
      const opened = new EventSource('/api/events');
      source = opened;
      opened.onopen = () => {
        wait = RETRY_FIRST_MS;
        setLive(true);
        refreshInfo();
      };
      opened.onerror = () => {
        setLive(false);
        // NOTE: the browser reconnects a stream that dropped, but gives up for good (CLOSED)
        // when the answer is not a stream: a lab server with no node running answers 409. So the
        // page opens a new one itself, waiting longer each time, up to RETRY_MAX_MS.
        if (opened.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, wait);
        wait = Math.min(wait * 2, RETRY_MAX_MS);
      };
      for (const type of EVENT_TYPES) {
        opened.addEventListener(type, (message) => {
          events.dispatchEvent(new CustomEvent(type, { detail: JSON.parse(message.data) }));
          // A search in progress (4 a second) changes nothing the header shows.
          if (type !== 'mining') refreshInfo();
        });
      }
    };
    open();
    return () => {
      clearInterval(timer);
      clearTimeout(retry);
      source?.close();
    };
  }, [events, refreshInfo]);

  const value = useMemo(
    () => ({ client, info, error, live, events, refreshInfo }),
    [client, info, error, live, events, refreshInfo],
  );
  return <NodeContext.Provider value={value}>{children}</NodeContext.Provider>;
}

export function useNode(): NodeState {
  const state = useContext(NodeContext);
  if (!state) throw new Error('useNode outside <NodeProvider>');
  return state;
}

/** Calls `handler` with each event of the given types while the component is mounted. */
export function useNodeEvents(
  types: readonly NodeEventType[],
  handler: (type: NodeEventType, data: unknown) => void,
): void {
  const { events } = useNode();
  const latest = useRef(handler);
  latest.current = handler;
  const key = types.join(',');
  useEffect(() => {
    const listeners = key.split(',').map((type) => {
      const listener = (e: Event) =>
        latest.current(type as NodeEventType, (e as CustomEvent).detail);
      events.addEventListener(type, listener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, listener] of listeners) events.removeEventListener(type, listener);
    };
  }, [events, key]);
}

export interface Loaded<T> {
  data: T | undefined;
  error: ClientError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load(client)` now, again whenever `deps` change, and again on each of `refreshOn`'s
 * events, so a page stays live without a reload. The last good data stays shown while reloading.
 */
export function useLoad<T>(
  load: (client: Client) => Promise<T>,
  deps: readonly unknown[],
  refreshOn: readonly NodeEventType[] = [],
): Loaded<T> {
  const { client } = useNode();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ClientError>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useNodeEvents(refreshOn, reload);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` stands for what `load` reads.
  useEffect(() => {
    let current = true;
    setLoading(true);
    load(client).then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(asClientError(e));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [client, generation, ...deps]);
  return { data, error, loading, reload };
}

export interface Call<T> {
  busy: boolean;
  /** The last call's answer; undefined while none came, or when the last call failed. */
  answer: T | undefined;
  error: ClientError | undefined;
  /** Runs `call`: its answer, or undefined when it failed (the error is then in `error`). */
  run: (call: () => Promise<T>) => Promise<T | undefined>;
  setAnswer: (answer: T | undefined) => void;
  setError: (error: ClientError | undefined) => void;
}

/** What a button or form asks of the node: busy while it runs, then its answer or its error. */
export function useCall<T>(): Call<T> {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<T>();
  const [error, setError] = useState<ClientError>();
  async function run(call: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(undefined);
    try {
      const value = await call();
      setAnswer(value);
      return value;
    } catch (e) {
      setAnswer(undefined);
      setError(asClientError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, answer, error, run, setAnswer, setError };
}

export function asClientError(e: unknown): ClientError {
  if (e instanceof ClientError) return e;
  return new ClientError('API_INTERNAL', e instanceof Error ? e.message : String(e), 0);
}
