import { canonicalIp } from '../telemetry/decode.js';
import { protocolName, type PairSummary } from '@beacon/detector';
import type { Context, Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { iso, numberParam } from '../internal/query.js';
import { ServerError } from '../serverError.js';

/** A pair as the original's `pairs[]` lists it. */
export function pairItem(p: PairSummary): Record<string, string | number> {
  return {
    pair_key: p.pairKey,
    src_ip: p.srcIp,
    dst_ip: p.dstIp,
    dst_port: p.dstPort,
    protocol: protocolName(p.protocol),
    direction: p.direction,
    connection_count: p.connectionCount,
    duration_seconds: p.durationSeconds,
    first_seen: iso(p.firstSeen),
    last_seen: iso(p.lastSeen),
  };
}

function ipParam(c: Context, name: string): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const ip = canonicalIp(raw);
  if (ip === null) throw new ServerError('BAD_REQUEST', `${name} must be an IPv4 or IPv6 address (got "${raw}")`, { path: name });
  return ip;
}

/** `GET /api/v1/connections` (src_ip, dst_ip, limit 100; most connections first). */
export function connectionRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/connections', (c) => {
    const limit = numberParam(c, 'limit', 100, { integer: true, max: 1_000_000 });
    const srcIp = ipParam(c, 'src_ip');
    const dstIp = ipParam(c, 'dst_ip');
    const query: { limit: number; srcIp?: string; dstIp?: string } = { limit };
    if (srcIp !== undefined) query.srcIp = srcIp;
    if (dstIp !== undefined) query.dstIp = dstIp;
    const pairs = ctx.detector.connections(query).map(pairItem);
    return c.json({ count: pairs.length, pairs });
  });
}
