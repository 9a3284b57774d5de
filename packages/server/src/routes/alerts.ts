import type { Hono } from 'hono';
import type { AlertSeverityName } from '../appDeps.js';
import type { AppContext } from '../internal/context.js';
import { choiceParam, numberParam } from '../internal/query.js';

const SEVERITIES: readonly AlertSeverityName[] = ['info', 'low', 'medium', 'high', 'critical'];

/** `GET /api/v1/alerts` (limit 50, severity: filtered first, then limited; newest first) and `DELETE`. */
export function alertRoutes(app: Hono, ctx: AppContext): void {
  app.get('/api/v1/alerts', (c) => {
    const limit = numberParam(c, 'limit', 50, { integer: true, max: 100_000 });
    const severity = choiceParam(c, 'severity', SEVERITIES);
    const query = severity === undefined ? { limit } : { limit, severity };
    const alerts = ctx.alerts ? ctx.alerts.recent(query) : [];
    return c.json({ count: alerts.length, alerts });
  });
  app.delete('/api/v1/alerts', (c) => {
    ctx.alerts?.clearRecent();
    ctx.logger?.info({ route: 'DELETE /api/v1/alerts' }, 'recent alerts cleared');
    return c.json({ status: 'cleared' });
  });
}
