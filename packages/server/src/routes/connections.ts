import { canonicalIp } from '../telemetry/decode.js';
import { protocolName, type PairSummary } from '@beacon/detector';
import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import type { AppContext } from '../internal/context.js';
import { iso, numberParam } from '../internal/query.js';
import { ServerError } from '../serverError.js';

/** A pair as the original's `pairs[]` lists it. */
export interface PairItem {
  pair_key: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  protocol: string;
  connection_count: number;
  duration_seconds: number;
  first_seen: string;
  last_seen: string;
}

/** A pair as the original's `pairs[]` lists it. */
export function pairItem(p: PairSummary): PairItem {
  return {
    pair_key: p.pairKey,
    src_ip: p.srcIp,
    dst_ip: p.dstIp,
    dst_port: p.dstPort,
    protocol: protocolName(p.protocol),
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

/** Query of `GET /api/v1/connections`; absent means the default. */
export interface ConnectionsQuery {
  /** @default 100 */
  limit?: number | undefined;
  /** Only pairs from this source. */
  src_ip?: string | undefined;
  /** Only pairs to this destination. */
  dst_ip?: string | undefined;
}

/** `GET /api/v1/connections` (src_ip, dst_ip, limit 100; most connections first). */
export function connectionRoutes(ctx: AppContext) {
  return new Hono().get(
    '/api/v1/connections',
    validator('query', (_q, c): ConnectionsQuery => ({
      limit: numberParam(c, 'limit', { integer: true, max: 1_000_000 }),
      src_ip: ipParam(c, 'src_ip'),
      dst_ip: ipParam(c, 'dst_ip'),
    })),
    (c) => {
      const { limit = 100, src_ip: srcIp, dst_ip: dstIp } = c.req.valid('query');
      const query: { limit: number; srcIp?: string; dstIp?: string } = { limit };
      if (srcIp !== undefined) query.srcIp = srcIp;
      if (dstIp !== undefined) query.dstIp = dstIp;
      const pairs = ctx.detector.connections(query).map(pairItem);
      return c.json({ count: pairs.length, pairs });
    },
  );
}
