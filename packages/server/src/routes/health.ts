import { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';

/** `GET /api/v1/health`: liveness plus the alert queue's pressure. */
export function healthRoutes(ctx: AppContext) {
  return new Hono().get('/api/v1/health', (c) => {
    const q = ctx.alerts?.stats();
    return c.json({
      status: 'healthy' as const,
      timestamp: new Date(ctx.now()).toISOString(),
      alert_queue_fill_percent: q?.fill_percent ?? 0,
      alert_queue_backpressure: q?.backpressure ?? false,
      alert_queue_drops: q?.drops ?? 0,
    });
  });
}
