import { Hono } from 'hono';
import type { AppContext } from './internal/context.js';
import { alertRoutes } from './routes/alerts.js';
import { analyzeRoutes } from './routes/analyze.js';
import { beaconRoutes } from './routes/beacons.js';
import { configRoutes } from './routes/config.js';
import { connectionRoutes } from './routes/connections.js';
import { healthRoutes } from './routes/health.js';
import { longConnectionRoutes } from './routes/longConnections.js';
import { metricsRoutes } from './routes/metrics.js';
import { rootRoutes } from './routes/root.js';
import { statusRoutes } from './routes/status.js';
import { telemetryRoutes } from './routes/telemetry.js';

/**
 * Every route of the API, chained so that their paths, query parameters and response bodies
 * form one type ({@link AppType}). A new route is added here (and in `routes/`), nowhere else:
 * the methods each path allows (the 405 answers and their `Allow` header) are read from the app.
 */
export function apiRoutes(ctx: AppContext) {
  return new Hono()
    .route('/', rootRoutes(ctx))
    .route('/', healthRoutes(ctx))
    .route('/', statusRoutes(ctx))
    .route('/', metricsRoutes(ctx))
    .route('/', beaconRoutes(ctx))
    .route('/', alertRoutes(ctx))
    .route('/', connectionRoutes(ctx))
    .route('/', longConnectionRoutes(ctx))
    .route('/', configRoutes(ctx))
    .route('/', analyzeRoutes(ctx))
    .route('/', telemetryRoutes(ctx));
}

/**
 * The type of the control plane's API: every route with its query parameters and response
 * body. Give it to Hono's typed client to call the API without writing response shapes by hand.
 * @example
 * import { hc } from 'hono/client';
 * import type { AppType } from '@beacon/server';
 * const api = hc<AppType>('http://127.0.0.1:9090');
 * const res = await api.api.v1.beacons.$get({ query: { min_score: 0.7 } });
 * const { beacons } = await res.json();
 */
export type AppType = ReturnType<typeof apiRoutes>;
