import type { Socket } from 'node:net';
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppContext } from '../internal/context.js';
import type { StreamClient, StreamEvent, StreamHub } from '../internal/streamHub.js';
import { ServerError } from '../serverError.js';

/** Comment line sent when nothing else was, so proxies keep the connection open. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /api/v1/stream`: Server-Sent Events. `hello` on connect, `stats` (the overview counters)
 * every few seconds, `alert` for each alert raised, `analysis` after each run. Each event has an
 * `id`; a client reconnecting with `Last-Event-ID` gets the alert and analysis events it missed
 * (the last 256). `retry: 2000` tells EventSource-style clients when to reconnect.
 */
export function streamRoutes(app: Hono, ctx: AppContext, hub: StreamHub): void {
  app.get('/api/v1/stream', (c) => {
    if (hub.size >= hub.maxClients) throw new ServerError('UNAVAILABLE', `too many stream clients (${hub.maxClients}); try again later`);
    const raw = c.req.header('last-event-id');
    const lastId = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      let writes = Promise.resolve();
      const client: StreamClient = {
        send: (e: StreamEvent) => {
          writes = writes.then(() => stream.writeSSE({ id: String(e.id), event: e.event, data: JSON.stringify(e.data) })).catch(() => done());
        },
        close: () => done(),
      };
      // A stream's connection serves nothing else: when the client leaves, drop it, so the
      // server's close() does not wait for a half-closed socket.
      const socket = (c.env as { incoming?: { socket?: Socket } } | undefined)?.incoming?.socket;
      stream.onAbort(() => {
        done();
        socket?.destroy();
      });
      await stream.write('retry: 2000\n\n');
      hub.add(client, lastId);
      const keepalive = setInterval(() => {
        writes = writes.then(() => stream.write(': keepalive\n\n')).then(() => undefined).catch(() => done());
      }, KEEPALIVE_MS);
      await finished;
      clearInterval(keepalive);
      hub.remove(client);
      ctx.logger?.debug({ route: 'GET /api/v1/stream' }, 'stream client left');
    });
  });
}
