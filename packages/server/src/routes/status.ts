import type { DetectorStats } from '@beacon/detector';
import { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { alerterPart, systemPart, telemetryPart } from '../internal/statusParts.js';

/**
 * The `storage{}` object with the original client's alias: its CLI reads `pairs_count` (the
 * original server wrote `pair_count`, so its status screen always showed 0). Both carry the
 * same value.
 */
export function storageStatus(s: DetectorStats['storage']): DetectorStats['storage'] & { pairs_count: number } {
  return { ...s, pairs_count: s.pair_count };
}

/**
 * The `analyzer{}` object with the original client's aliases: `beacons_detected` for
 * `total_beacons_detected` and `analysis_runs` for `total_runs` (same values).
 */
export function analyzerStatus(a: DetectorStats['analyzer']): DetectorStats['analyzer'] & { beacons_detected: number; analysis_runs: number } {
  return { ...a, beacons_detected: a.total_beacons_detected, analysis_runs: a.total_runs };
}

/** `GET /api/v1/status` and `GET /api/v1/statistics`. */
export function statusRoutes(ctx: AppContext) {
  return new Hono()
    .get('/api/v1/status', (c) => {
      const { state, detector } = ctx;
      const now = ctx.now();
      const stats = detector.stats();
      const drops = state.dropTotals();
      return c.json({
        status: 'running' as const,
        uptime_seconds: Math.round((now - state.startMs) / 10) / 100,
        start_time: new Date(state.startMs).toISOString(),
        requests_received: state.requestsReceived,
        batches_processed: state.batchesProcessed,
        events_received: state.eventsReceived,
        alert_queue_drops: ctx.alerts?.stats().drops ?? 0,
        ebpf_drops_total: drops.ebpf,
        buffer_overflow_total: drops.overflow,
        ...telemetryPart(ctx),
        storage: storageStatus(stats.storage),
        analyzer: analyzerStatus(stats.analyzer),
        alerter: alerterPart(ctx),
        evictions: stats.evictions,
        rejections: stats.rejections,
        allowlisted: stats.allowlisted,
        system: systemPart(),
      });
    })
    .get('/api/v1/statistics', (c) => {
      const { state, detector } = ctx;
      const stats = detector.stats();
      return c.json({
        server: {
          requests_received: state.requestsReceived,
          batches_processed: state.batchesProcessed,
          events_received: state.eventsReceived,
          ...telemetryPart(ctx),
        },
        storage: storageStatus(stats.storage),
        analyzer: analyzerStatus(stats.analyzer),
        alerter: alerterPart(ctx),
      });
    });
}
