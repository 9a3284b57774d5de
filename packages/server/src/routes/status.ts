import type { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { alerterPart, systemPart, telemetryPart } from '../internal/statusParts.js';

/** `GET /api/v1/status` and `GET /api/v1/statistics`. */
export function statusRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/status', (c) => {
    const { state, detector } = ctx;
    const now = ctx.now();
    const stats = detector.stats();
    const drops = state.dropTotals();
    return c.json({
      status: 'running',
      uptime_seconds: Math.round((now - state.startMs) / 10) / 100,
      start_time: new Date(state.startMs).toISOString(),
      requests_received: state.requestsReceived,
      batches_processed: state.batchesProcessed,
      events_received: state.eventsReceived,
      alert_queue_drops: ctx.alerts?.stats().drops ?? 0,
      ebpf_drops_total: drops.ebpf,
      buffer_overflow_total: drops.overflow,
      ...telemetryPart(ctx),
      storage: stats.storage,
      analyzer: stats.analyzer,
      alerter: alerterPart(ctx),
      evictions: stats.evictions,
      rejections: stats.rejections,
      allowlisted: stats.allowlisted,
      system: systemPart(),
    });
  });

  app.get('/api/v1/statistics', (c) => {
    const { state, detector } = ctx;
    const stats = detector.stats();
    return c.json({
      server: {
        requests_received: state.requestsReceived,
        batches_processed: state.batchesProcessed,
        events_received: state.eventsReceived,
        ...telemetryPart(ctx),
      },
      storage: stats.storage,
      analyzer: stats.analyzer,
      alerter: alerterPart(ctx),
    });
  });
}
