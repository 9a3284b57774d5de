import { toBeaconItem } from '@beacon/detector';
import type { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';

/** `POST /api/v1/analyze`: one analysis run now. */
export function analyzeRoutes(app: Hono, ctx: AppContext): void {
  app.post('/api/v1/analyze', (c) => {
    const report = ctx.detector.analyze();
    return c.json({ status: 'completed', run: report.run, beacons_found: report.beacons.map(toBeaconItem) });
  });
}
