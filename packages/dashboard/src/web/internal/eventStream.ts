import { authHeaders } from './api.js';
import { SseParser, type SseMessage } from './sseParser.js';

/** State of the live stream, for the status badge. */
export type StreamState = { state: 'connecting' } | { state: 'open' } | { state: 'retrying'; inMs: number; reason: string } | { state: 'unauthorized' };

/** Options of {@link openEventStream}. */
export interface EventStreamOptions {
  url: string;
  onMessage: (m: SseMessage) => void;
  onState: (s: StreamState) => void;
  /** First reconnect delay; doubles up to maxDelayMs. @default 1000 */
  minDelayMs?: number;
  /** @default 15000 */
  maxDelayMs?: number;
}

/**
 * Reads a Server-Sent Events stream with fetch (not EventSource, which cannot send the bearer
 * token), reconnecting with exponential backoff and `Last-Event-ID` so no alert is missed
 * across a short outage. Returns a function that closes it.
 */
export function openEventStream(o: EventStreamOptions): () => void {
  const minDelay = o.minDelayMs ?? 1000;
  const maxDelay = o.maxDelayMs ?? 15_000;
  let delay = minDelay;
  let lastId: string | null = null;
  let closed = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = (reason: string): void => {
    if (closed) return;
    o.onState({ state: 'retrying', inMs: delay, reason });
    timer = setTimeout(connect, delay);
    delay = Math.min(maxDelay, delay * 2);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    controller = new AbortController();
    o.onState({ state: 'connecting' });
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...authHeaders() };
    if (lastId !== null) headers['Last-Event-ID'] = lastId;
    try {
      const res = await fetch(o.url, { headers, signal: controller.signal, cache: 'no-store' });
      if (res.status === 401) {
        o.onState({ state: 'unauthorized' });
        return;
      }
      if (!res.ok || res.body === null) return retry(`HTTP ${res.status}`);
      o.onState({ state: 'open' });
      delay = minDelay;
      const parser = new SseParser();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const m of parser.push(value)) {
          if (m.id !== null) lastId = m.id;
          o.onMessage(m);
        }
      }
      if (parser.retry !== null) delay = parser.retry;
      retry('stream ended');
    } catch (error) {
      if (!closed) retry(error instanceof Error ? error.message : String(error));
    }
  }

  void connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    controller?.abort();
  };
}

