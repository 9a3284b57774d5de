import { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';

/** `GET /api/v1/metrics`: Prometheus text exposition 0.0.4. */
export function metricsRoutes(ctx: AppContext) {
  return new Hono().get('/api/v1/metrics', async (c) => {
    const text = await ctx.registry.metrics();
    return c.text(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
