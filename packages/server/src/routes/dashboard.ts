import { readFile } from 'node:fs/promises';
import { DASHBOARD_BASE, dashboardAssets, isDashboardError, type DashboardAssets } from '@beacon/dashboard';
import type { Context, Hono } from 'hono';
import type { AppContext } from '../internal/context.js';

/** The page's policy: its own script, style and API only; no framing. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * True when the client prefers HTML to JSON: a browser navigating (`Accept: text/html,...`).
 * `curl` (`*\/*`), scripts and the CLI (`application/json`) keep getting JSON.
 */
export function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const types = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
    return { type: type.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const html = types.find((t) => t.type === 'text/html')?.q ?? 0;
  const json = types.find((t) => t.type === 'application/json')?.q ?? 0;
  return html > 0 && html >= json;
}

/** Paths the dashboard's own files are served under (open even when reads need a key: they hold no data). */
export function isDashboardPath(path: string, method: string, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/') return wantsHtml(accept);
  return path === '/dashboard' || path.startsWith(DASHBOARD_BASE);
}

/**
 * The browser dashboard: `GET /` for a browser (Accept: text/html; API clients keep the JSON
 * index), `GET /dashboard/` and its hashed assets under `/dashboard/assets/` (cached for a year:
 * their names change with their content). Only files in the build's manifest are served.
 */
export function dashboardRoutes(app: Hono, ctx: AppContext): void {
  let assets: DashboardAssets | null | undefined;
  const load = (): DashboardAssets | null => {
    if (assets !== undefined) return assets;
    try {
      assets = dashboardAssets();
    } catch (error) {
      if (!isDashboardError(error)) throw error;
      ctx.logger?.warn({ err: error }, 'dashboard unavailable');
      assets = null;
    }
    return assets;
  };
  const page = (c: Context): Response => {
    const a = load();
    c.header('Vary', 'Accept');
    if (a === null) return c.text('The dashboard is not built: run "pnpm --filter @beacon/dashboard build". The JSON API is at /api/v1/.', 503);
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-cache');
    return c.html(a.indexHtml);
  };
  app.get('/', async (c, next) => {
    if (!wantsHtml(c.req.header('accept'))) {
      await next();
      c.header('Vary', 'Accept');
      return;
    }
    return page(c);
  });
  app.get('/dashboard', (c) => c.redirect(DASHBOARD_BASE));
  app.get(DASHBOARD_BASE, page);
  app.get(`${DASHBOARD_BASE}*`, async (c) => {
    const file = load()?.files.get(c.req.path.slice(DASHBOARD_BASE.length));
    if (file === undefined) return c.json({ error: `no dashboard file ${c.req.path}` }, 404);
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(new Uint8Array(await readFile(file.path)));
  });
}
