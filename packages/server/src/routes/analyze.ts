import { toBeaconItem } from '@beacon/detector';
import { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';

/** `POST /api/v1/analyze`: one analysis run now. */
export function analyzeRoutes(ctx: AppContext) {
  return new Hono().post('/api/v1/analyze', (c) => {
    const report = ctx.detector.analyze();
    return c.json({ status: 'completed' as const, run: report.run, beacons_found: report.beacons.map(toBeaconItem) });
  });
}
