import { defaultConfig } from '@beacon/config';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { Registry } from 'prom-client';
import type { AppDeps } from './appDeps.js';
import { apiRoutes, type AppType } from './apiRoutes.js';
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
import { dashboardRoutes, isDashboardPath } from './routes/dashboard.js';
import { pairRoutes } from './routes/pairs.js';
import { streamRoutes } from './routes/stream.js';
import { isServerError, ServerError } from './serverError.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ALL = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Builds the control plane's HTTP API: a hono app that can be served by {@link listen}, or
 * called directly with `app.request(...)` (no socket). Errors are JSON `{"error", "path"?}` with
 * the status of their {@link ServerErrorCode}; nothing is answered as a plain-text 500.
 * @example
 * const app = createApp({ detector: createDetector() });
 * const res = await app.request('/api/v1/health');
 */
export function createApp(deps: AppDeps): AppType {
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
    publishTelemetry: deps.publishTelemetry,
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
  // before the API: a browser asking / gets the page, everyone else falls through to the JSON index
  if (deps.dashboard !== false) dashboardRoutes(app, ctx);
  pairRoutes(app, ctx);
  streamRoutes(app, ctx, hub);
  const api = app.route('/', apiRoutes(ctx));
  for (const [path, methods] of allowedMethods(app)) {
    const allow = methods.join(', ');
    app.all(path, (c) => {
      c.header('Allow', allow);
      throw new ServerError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${path} (allowed: ${allow})`);
    });
  }

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (isServerError(error)) {
      const body: { error: string; path?: string; position?: number } = { error: error.message };
      if (error.path !== undefined) body.path = error.path;
      if (error.position !== undefined) body.position = error.position;
      // The rest of an oversized body was not read: the connection cannot carry another request.
      if (error.code === 'PAYLOAD_TOO_LARGE') c.header('Connection', 'close');
      return c.json(body, error.status as 400);
    }
    ctx.logger?.error({ err: error, route: c.req.path }, 'request failed');
    return c.json({ error: 'Internal server error' }, 500);
  });
  return api;
}

/** The methods each registered path answers (middleware, registered for `ALL`, left out). */
function allowedMethods(app: Hono): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    const methods = out.get(r.path) ?? [];
    if (!methods.includes(r.method)) methods.push(r.method);
    out.set(r.path, methods);
  }
  return out;
}
