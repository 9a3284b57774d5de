import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from '../serverError.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What {@link requestGuard} lets through. */
export interface RequestGuardOptions {
  /** Origins allowed to write from a browser besides the server's own (`control_plane.cors_origins`). */
  origins: readonly string[];
  /**
   * Host names (no port) the server answers to besides IP literals and `localhost`: the listen
   * address and `control_plane.allowed_hosts`.
   */
  hosts: readonly string[];
  /** Whether the `Host` check applies (see {@link createApp}: loopback binds, or `allowed_hosts` set). */
  checkHost: boolean;
}

const hostnameOf = (host: string): string => {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
};

const isJson = (type: string): boolean => {
  const t = (type.split(';')[0] ?? '').trim().toLowerCase();
  return t === 'application/json' || (t.startsWith('application/') && t.endsWith('+json'));
};

/**
 * Refuses what a web page in the operator's browser could otherwise do to a control plane it
 * can reach (loopback needs no key):
 * - a write whose `Origin` is neither the server's own nor one of `origins` (cross-site POST);
 * - a write with a body that is not `application/json` (an HTML form or a `text/plain` fetch,
 *   which a browser sends cross-site without asking first);
 * - with `checkHost`, any request whose `Host` names neither an IP address, `localhost`, nor
 *   one of `hosts` (DNS rebinding: a page at attacker.example whose name now points at 127.0.0.1).
 * Clients that are not browsers send no `Origin` and are not affected by the first check.
 */
export function requestGuard(options: RequestGuardOptions): MiddlewareHandler {
  const origins = new Set(options.origins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  const hosts = new Set(options.hosts.map((h) => hostnameOf(h)));
  return async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (options.checkHost) {
      const name = hostnameOf(host);
      if (!(isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || hosts.has(name)))
        throw new ServerError('FORBIDDEN', `Host "${host}" is not an address of this server (add it to control_plane.allowed_hosts if it is)`, { path: 'Host' });
    }
    if (WRITES.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin !== undefined) {
        const o = origin.toLowerCase();
        let same = false;
        try {
          same = new URL(o).host === host.toLowerCase();
        } catch {
          same = false; // `null` (sandboxed frames, file:) or garbage
        }
        if (!same && !origins.has(o)) throw new ServerError('FORBIDDEN', `writes from Origin ${origin} are not allowed (control_plane.cors_origins lists the allowed ones)`, { path: 'Origin' });
      }
      const type = c.req.header('content-type');
      const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding') !== undefined;
      if ((type !== undefined && !isJson(type)) || (type === undefined && hasBody))
        throw new ServerError('UNSUPPORTED_MEDIA_TYPE', `${c.req.method} needs Content-Type: application/json (got ${type ?? 'none'})`, { path: 'Content-Type' });
    }
    await next();
  };
}
