import { toBeaconItem } from '@beacon/detector';
import type { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { numberParam } from '../internal/query.js';

/** `GET /api/v1/beacons` (min_score, limit; highest score first) and `DELETE /api/v1/beacons`. */
export function beaconRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/beacons', (c) => {
    const minScore = numberParam(c, 'min_score', 0, { min: 0, max: 1 });
    const limit = numberParam(c, 'limit', 50, { integer: true, max: 100_000 });
    const beacons = ctx.detector.beacons({ minScore, limit }).map(toBeaconItem);
    return c.json({ count: beacons.length, beacons });
  });
  app.delete('/api/v1/beacons', (c) => {
    ctx.detector.clearBeacons();
    ctx.logger?.info({ route: 'DELETE /api/v1/beacons' }, 'known beacons cleared');
    return c.json({ status: 'cleared' });
  });
}
