import { Hono } from 'hono';
import { configView, applyConfigUpdate } from '../internal/configView.js';
import type { AppContext } from '../internal/context.js';
import { readJson } from '../internal/readJson.js';

/** `GET /api/v1/config` (secrets redacted) and `POST /api/v1/config` (partial, validated, applied). */
export function configRoutes(ctx: AppContext) {
  return new Hono()
    .get('/api/v1/config', (c) => c.json(configView(ctx.config, ctx.detector)))
    .post('/api/v1/config', async (c) => {
      const body = await readJson(c.req.raw, ctx);
      ctx.config = applyConfigUpdate(body, ctx.config, ctx.detector);
      ctx.onConfigUpdate?.(ctx.config);
      ctx.logger?.info({ route: 'POST /api/v1/config', sections: Object.keys(body as object) }, 'configuration updated');
      return c.json({ status: 'updated' as const, config: configView(ctx.config, ctx.detector) });
    });
}
