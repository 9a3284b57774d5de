import { toBeaconItem } from '@beacon/detector';
import type { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { iso, numberParam } from '../internal/query.js';
import { ServerError } from '../serverError.js';
import { pairItem } from './connections.js';

/**
 * `GET /api/v1/pairs/{key}` (the pair key URL-encoded, e.g. `10.0.0.1-%3E203.0.113.5%3A443%2FTCP`;
 * `limit`, default 1000, most recent events): the pair's summary, its recent event times (epoch
 * seconds) and sizes (bytes), oldest first, and its beacon item when it is a known beacon.
 * 404 when the pair is not tracked.
 */
export function pairRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/pairs/:key{.+}', (c) => {
    const key = c.req.param('key');
    const limit = numberParam(c, 'limit', { integer: true, min: 1, max: 100_000 }) ?? 1000;
    const p = ctx.detector.pair(key, { limit });
    if (p === undefined) throw new ServerError('NOT_FOUND', `no tracked pair "${key}"`, { path: 'key' });
    return c.json({
      ...pairItem(p),
      history_size: p.historySize,
      events: { count: p.times.length, times: p.times, sizes: p.sizes },
      beacon: p.detection === null ? null : toBeaconItem(p.detection),
      generated_at: iso(ctx.now() / 1000),
    });
  });
}
