import { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';

/** The endpoint index served at `GET /`. */
export const ENDPOINTS: Readonly<Record<string, string>> = Object.freeze({
  health: 'GET /api/v1/health',
  status: 'GET /api/v1/status',
  statistics: 'GET /api/v1/statistics',
  metrics: 'GET /api/v1/metrics',
  beacons: 'GET|DELETE /api/v1/beacons',
  alerts: 'GET|DELETE /api/v1/alerts',
  connections: 'GET /api/v1/connections',
  long_connections: 'GET /api/v1/long-connections',
  analyze: 'POST /api/v1/analyze',
  config: 'GET|POST /api/v1/config',
  telemetry: 'POST /api/v1/telemetry',
  pairs: 'GET /api/v1/pairs/{key}',
  stream: 'GET /api/v1/stream',
  dashboard: 'GET /dashboard/',
});

/** `GET /`: name, version, description and the endpoint index. */
export function rootRoutes(ctx: AppContext) {
  return new Hono().get('/', (c) =>
    c.json({
      name: 'Beacon Detection Control Plane',
      version: ctx.version,
      description: 'Finds command-and-control beacons in network telemetry',
      endpoints: ENDPOINTS,
    }),
  );
}
