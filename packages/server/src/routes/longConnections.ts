import { Hono } from 'hono';
import { validator } from 'hono/validator';
import type { AppContext } from '../internal/context.js';
import { numberParam } from '../internal/query.js';
import { pairItem } from './connections.js';

/** Query of `GET /api/v1/long-connections`; absent means the default. */
export interface LongConnectionsQuery {
  /** Seconds. @default the detector's minDuration */
  min_duration?: number | undefined;
  /** @default 50 */
  limit?: number | undefined;
}

/**
 * `GET /api/v1/long-connections` (min_duration default the detector's minDuration, limit 50):
 * pairs with a single flow open at least min_duration seconds, longest first. `duration_seconds`
 * is that flow's duration; `open` says whether a long flow is still open.
 */
export function longConnectionRoutes(ctx: AppContext) {
  return new Hono().get(
    '/api/v1/long-connections',
    validator('query', (_q, c): LongConnectionsQuery => ({
      min_duration: numberParam(c, 'min_duration'),
      limit: numberParam(c, 'limit', { integer: true, max: 1_000_000 }),
    })),
    (c) => {
      const { min_duration: minDuration = ctx.detector.config.minDuration, limit = 50 } = c.req.valid('query');
      const connections = ctx.detector.longConnections({ minDuration, limit }).map((l) => ({
        ...pairItem(l),
        duration_seconds: l.longestFlowSeconds,
        open: l.openFlows > 0,
        open_flows: l.openFlows,
      }));
      return c.json({ count: connections.length, connections });
    },
  );
}
