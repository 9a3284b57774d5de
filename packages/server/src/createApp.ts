import { defaultConfig } from '@beacon/config';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { Registry } from 'prom-client';
import type { AppDeps } from './appDeps.js';
import { APPS_WITH_KEY, STREAM_HUBS } from './internal/appKeys.js';
import { requireKey } from './internal/auth.js';
import { requestGuard } from './internal/requestGuard.js';
import { isLoopback } from './listen.js';
import type { AppContext } from './internal/context.js';
import { registerMetrics } from './internal/metrics.js';
import { ServerState } from './internal/serverState.js';
import { StreamHub } from './internal/streamHub.js';
import { SERVER_STATES } from './persistence/serverCounters.js';
import { VERSION } from './internal/version.js';
import { alertRoutes } from './routes/alerts.js';
import { analyzeRoutes } from './routes/analyze.js';
import { beaconRoutes } from './routes/beacons.js';
import { configRoutes } from './routes/config.js';
import { connectionRoutes } from './routes/connections.js';
import { dashboardRoutes, isDashboardPath } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { longConnectionRoutes } from './routes/longConnections.js';
import { metricsRoutes } from './routes/metrics.js';
import { pairRoutes } from './routes/pairs.js';
import { rootRoutes } from './routes/root.js';
import { statusRoutes } from './routes/status.js';
import { streamRoutes } from './routes/stream.js';
import { telemetryRoutes } from './routes/telemetry.js';
import { isServerError, ServerError } from './serverError.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ALL = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Methods each path answers; any other method is a 405 with `Allow`. */
const ROUTES: Record<string, string> = {
  '/': 'GET',
  '/api/v1/health': 'GET',
  '/api/v1/status': 'GET',
  '/api/v1/statistics': 'GET',
  '/api/v1/metrics': 'GET',
  '/api/v1/beacons': 'GET, DELETE',
  '/api/v1/alerts': 'GET, DELETE',
  '/api/v1/connections': 'GET',
  '/api/v1/long-connections': 'GET',
  '/api/v1/config': 'GET, POST',
  '/api/v1/analyze': 'POST',
  '/api/v1/telemetry': 'POST',
  '/api/v1/pairs/:key{.+}': 'GET',
  '/api/v1/stream': 'GET',
};

/**
 * Builds the control plane's HTTP API: a hono app that can be served by {@link listen}, or
 * called directly with `app.request(...)` (no socket). Errors are JSON `{"error", "path"?}` with
 * the status of their {@link ServerErrorCode}; nothing is answered as a plain-text 500.
 * @example
 * const app = createApp({ detector: createDetector() });
 * const res = await app.request('/api/v1/health');
 */
export function createApp(deps: AppDeps): Hono {
  const config = structuredClone(deps.config ?? defaultConfig());
  const now = deps.now ?? Date.now;
  const registry = deps.registry ?? new Registry();
  const state = new ServerState(now());
  const maxBodyBytes = deps.maxBodyBytes ?? config.control_plane.max_body_bytes;
  const ctx: AppContext = {
    detector: deps.detector,
    alerts: deps.alerts,
    config,
    onConfigUpdate: deps.onConfigUpdate,
    logger: deps.logger,
    now,
    state,
    metrics: registerMetrics(registry, deps.detector, state, deps.alerts),
    registry,
    maxBodyBytes,
    maxDecompressedBytes: deps.maxDecompressedBytes ?? maxBodyBytes,
    chunkSize: deps.chunkSize ?? 5000,
    futureToleranceSec: deps.futureToleranceSeconds ?? 300,
    version: deps.version ?? VERSION,
  };
  deps.detector.on('analysis', (report) => {
    state.lastAnalysisSeconds = report.run.duration_seconds;
  });

  const app = new Hono();
  SERVER_STATES.set(app, state);
  app.use('*', async (c, next) => {
    state.requestsReceived++;
    await next();
    const route = c.req.routePath === '/*' || c.req.routePath === '*' ? '(unmatched)' : c.req.routePath;
    ctx.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
  });
  const origins = deps.corsOrigins ?? config.control_plane.cors_origins;
  if (origins.length > 0) app.use('*', cors({ origin: [...origins], allowHeaders: ['Content-Type', 'Content-Encoding', 'Authorization', 'X-API-Key', 'X-Node-ID'] }));
  const apiKey = deps.apiKey === undefined ? config.control_plane.api_key : deps.apiKey;
  if (apiKey) {
    const check = requireKey(apiKey, deps.protectReads ? ALL : WRITES);
    // the dashboard's page and assets hold no data: a browser must load them to ask for the key
    app.use('*', (c, next) => (isDashboardPath(c.req.path, c.req.method, c.req.header('accept')) ? next() : check(c, next)));
    APPS_WITH_KEY.add(app);
  }
  // After the key check: a request without the key is told so first.
  const listenAddress = config.control_plane.listen_address;
  const allowedHosts = deps.allowedHosts ?? config.control_plane.allowed_hosts;
  app.use('*', requestGuard({ origins, hosts: [listenAddress, ...allowedHosts], checkHost: isLoopback(listenAddress) || allowedHosts.length > 0 }));

  const hub = new StreamHub(ctx, deps.streamIntervalMs ?? 2000, 64);
  STREAM_HUBS.set(app, hub);
  if (deps.dashboard !== false) dashboardRoutes(app, ctx);
  for (const register of [rootRoutes, healthRoutes, statusRoutes, metricsRoutes, beaconRoutes, alertRoutes, connectionRoutes, longConnectionRoutes, configRoutes, analyzeRoutes, telemetryRoutes, pairRoutes])
    register(app, ctx);
  streamRoutes(app, ctx, hub);
  for (const [path, allow] of Object.entries(ROUTES))
    app.all(path, (c) => {
      c.header('Allow', allow);
      throw new ServerError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${path} (allowed: ${allow})`);
    });

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (isServerError(error)) {
      const body: { error: string; path?: string; position?: number } = { error: error.message };
      if (error.path !== undefined) body.path = error.path;
      if (error.position !== undefined) body.position = error.position;
      return c.json(body, error.status as 400);
    }
    ctx.logger?.error({ err: error, route: c.req.path }, 'request failed');
    return c.json({ error: 'Internal server error' }, 500);
  });
  return app;
}
