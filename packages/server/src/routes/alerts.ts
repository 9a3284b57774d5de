import { Hono } from 'hono';
import { validator } from 'hono/validator';
import type { AlertSeverityName } from '../appDeps.js';
import type { AppContext } from '../internal/context.js';
import { choiceParam, numberParam } from '../internal/query.js';

const SEVERITIES: readonly AlertSeverityName[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Query of `GET /api/v1/alerts`; absent means the default. */
export interface AlertsQuery {
  /** @default 50 */
  limit?: number | undefined;
  /** Only this severity (filtered before the limit). */
  severity?: AlertSeverityName | undefined;
}

/** `GET /api/v1/alerts` (limit 50, severity: filtered first, then limited; newest first) and `DELETE`. */
export function alertRoutes(ctx: AppContext) {
  return new Hono()
    .get(
      '/api/v1/alerts',
      validator('query', (_q, c): AlertsQuery => ({
        limit: numberParam(c, 'limit', { integer: true, max: 100_000 }),
        severity: choiceParam(c, 'severity', SEVERITIES),
      })),
      (c) => {
        const { limit = 50, severity } = c.req.valid('query');
        const query = severity === undefined ? { limit } : { limit, severity };
        const alerts = ctx.alerts ? [...ctx.alerts.recent(query)] : [];
        return c.json({ count: alerts.length, alerts });
      },
    )
    .delete('/api/v1/alerts', (c) => {
      ctx.alerts?.clearRecent();
      ctx.logger?.info({ route: 'DELETE /api/v1/alerts' }, 'recent alerts cleared');
      return c.json({ status: 'cleared' as const });
    });
}
