import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { AppContext } from '../internal/context.js';
import { decodeBatch } from '../telemetry/decodeBatch.js';
import { ingestTelemetry } from '../internal/ingestTelemetry.js';
import { readBody } from '../internal/readBody.js';
import { isServerError } from '../serverError.js';
import { publishBatch } from '../internal/publishBatch.js';

/**
 * `POST /api/v1/telemetry`: the original's JSON batch (gzip or not). A bad body or envelope is
 * refused whole (400 with the field path, 413 when too large); bad events inside a good batch
 * are rejected and counted, the rest ingested.
 */
export function telemetryRoutes(ctx: AppContext) {
  return new Hono().post('/api/v1/telemetry', async (c) => {
    try {
      const body = await readBody(c.req.raw, { maxBodyBytes: ctx.maxBodyBytes, maxDecompressedBytes: ctx.maxDecompressedBytes });
      const batch = await decodeBatch(body, ctx.chunkSize, c.req.header('x-node-id'));
      if (ctx.publishTelemetry) return c.json(await publishBatch(batch, ctx, c));
      const s = await ingestTelemetry(batch, ctx.detector, ctx.state, ctx.now(), ctx.futureToleranceSec);
      if (s.rejected > 0) ctx.logger?.debug({ node: s.nodeId, batch: s.batchId, rejected: s.rejected, first: s.rejections[0] }, 'telemetry events rejected');
      return c.json({
        status: 'accepted' as const,
        batch_id: s.batchId || randomUUID(),
        node_id: s.nodeId,
        events_received: s.received,
        events_accepted: s.accepted,
        events_dropped: s.dropped,
        events_rejected: s.rejected,
        rejected: s.rejections,
      });
    } catch (error) {
      if (isServerError(error)) {
        ctx.state.refuseBatch(error.status);
        ctx.logger?.warn({ node: c.req.header('x-node-id'), code: error.code, path: error.path }, `telemetry batch refused: ${error.message}`);
      }
      throw error;
    }
  });
}
