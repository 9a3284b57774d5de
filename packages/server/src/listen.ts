import { readFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { APPS_WITH_KEY, STREAM_HUBS } from './internal/appKeys.js';
import { ServerError } from './serverError.js';

/** TLS certificate and key files (PEM). */
export interface TlsFiles {
  certPath: string;
  keyPath: string;
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /** Address to bind. Anything but loopback needs an API key. @default '127.0.0.1' */
  hostname?: string;
  /** TCP port; 0 picks a free one. @default 9090 */
  port?: number;
  /** Serve HTTPS with these files. @default plain HTTP */
  tls?: TlsFiles | null;
  /** Whether the app checks an API key; @default true when the app came from createApp with a key */
  hasApiKey?: boolean;
  /** Most concurrent connections. @default 1024 */
  maxConnections?: number;
  /** How long `close()` waits for open requests before cutting connections, ms. @default 5000 */
  closeTimeoutMs?: number;
}

/** A server returned by {@link listen}. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:9090`. */
  url: string;
  hostname: string;
  port: number;
  /** The node:http or node:https server. */
  server: Server;
  /** Stops accepting connections, lets open requests finish (up to closeTimeoutMs), then resolves. */
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1, IPv4-mapped loopback and `localhost`. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Serves a hono app (from {@link createApp}) with @hono/node-server. Secure by default: binds
 * 127.0.0.1, and refuses to bind any other address unless the app checks an API key.
 * @throws {@link ServerError} `INSECURE_BIND` for a non-loopback bind without a key
 * @example
 * const running = await listen(createApp({ detector }), { port: 0 });
 * console.log(running.url);
 * await running.close();
 */
export async function listen(app: Hono, options: ListenOptions = {}): Promise<RunningServer> {
  const { hostname = '127.0.0.1', port = 9090, tls = null, maxConnections = 1024, closeTimeoutMs = 5000 } = options;
  const hasKey = options.hasApiKey ?? APPS_WITH_KEY.has(app);
  if (!isLoopback(hostname) && !hasKey)
    throw new ServerError(
      'INSECURE_BIND',
      `refusing to listen on ${hostname} without an API key: set control_plane.api_key, or listen on 127.0.0.1`,
    );
  const serverOptions = tls ? { cert: await readFile(tls.certPath), key: await readFile(tls.keyPath) } : undefined;
  const server = (
    tls ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions }) : createAdaptorServer({ fetch: app.fetch })
  ) as Server;
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    hostname: address.address,
    port: address.port,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        STREAM_HUBS.get(app)?.closeAll();
        const timer = setTimeout(() => server.closeAllConnections(), closeTimeoutMs);
        timer.unref();
        // requests that finish while closing (the streams just ended) leave idle keep-alive sockets
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        idle.unref();
        server.close(() => {
          clearTimeout(timer);
          clearInterval(idle);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
