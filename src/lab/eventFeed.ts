/**
 * Reads one node's live stream (GET /api/events, Server-Sent Events) and hands each event on,
 * with the time it arrived. A stream that ends (the node stopped, paused too long, restarted) is
 * opened again after a short wait, until the feed is closed.
 */

export interface FeedEvent {
  readonly type: string;
  readonly data: unknown;
}

const RETRY_MS = 500;

export function openEventFeed(
  url: string | (() => string),
  onEvent: (event: FeedEvent) => void,
  onOpen?: () => void,
): { close(): void } {
  const controller = new AbortController();
  const urlOf = typeof url === 'string' ? () => url : url;

  const readOnce = async () => {
    const response = await fetch(`${urlOf()}/api/events`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
    onOpen?.();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = frame.split('\n');
        const type = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (type === undefined || data === undefined) continue; // retry:, keep-alive
        try {
          onEvent({ type, data: JSON.parse(data) });
        } catch {
          // a frame that is not JSON is skipped
        }
      }
    }
  };

  void (async () => {
    while (!controller.signal.aborted) {
      await readOnce().catch(() => undefined);
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  })();

  return { close: () => controller.abort() };
}
