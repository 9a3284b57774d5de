import type { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { numberParam } from '../internal/query.js';
import { pairItem } from './connections.js';

/**
 * `GET /api/v1/long-connections` (min_duration default the detector's minDuration, limit 50):
 * pairs with a single flow open at least min_duration seconds, longest first. `duration_seconds`
 * is that flow's duration; `open` says whether a long flow is still open.
 */
export function longConnectionRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/long-connections', (c) => {
    const minDuration = numberParam(c, 'min_duration', ctx.detector.config.minDuration);
    const limit = numberParam(c, 'limit', 50, { integer: true, max: 1_000_000 });
    const connections = ctx.detector.longConnections({ minDuration, limit }).map((l) => ({
      ...pairItem(l),
      duration_seconds: l.longestFlowSeconds,
      open: l.openFlows > 0,
      open_flows: l.openFlows,
    }));
    return c.json({ count: connections.length, connections });
  });
}
