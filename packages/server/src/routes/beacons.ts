import { toBeaconItem } from '@beacon/detector';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import type { AppContext } from '../internal/context.js';
import { booleanParam, numberParam } from '../internal/query.js';

/** Query of `GET /api/v1/beacons`; absent means the default. */
export interface BeaconsQuery {
  /** @default 0 */
  min_score?: number | undefined;
  /** @default 50 */
  limit?: number | undefined;
  /** List benign-baseline pairs (NTP, multicast) too. @default false */
  include_benign?: boolean | undefined;
}

/**
 * `GET /api/v1/beacons` (min_score, limit; highest score first) and `DELETE /api/v1/beacons`.
 * Pairs a benign baseline matched (NTP, multicast) are listed only with `include_benign=true`:
 * a client that does not know `benign_label` would show them as beacons.
 */
export function beaconRoutes(ctx: AppContext) {
  return new Hono()
    .get(
      '/api/v1/beacons',
      validator('query', (_q, c): BeaconsQuery => ({
        min_score: numberParam(c, 'min_score', { min: 0, max: 1 }),
        limit: numberParam(c, 'limit', { integer: true, max: 100_000 }),
        include_benign: booleanParam(c, 'include_benign'),
      })),
      (c) => {
        const { min_score: minScore = 0, limit = 50, include_benign: includeBenign = false } = c.req.valid('query');
        const beacons = ctx.detector.beacons({ minScore, limit, includeBenign }).map(toBeaconItem);
        return c.json({ count: beacons.length, beacons });
      },
    )
    .delete('/api/v1/beacons', (c) => {
      ctx.detector.clearBeacons();
      ctx.logger?.info({ route: 'DELETE /api/v1/beacons' }, 'known beacons cleared');
      return c.json({ status: 'cleared' as const });
    });
}
