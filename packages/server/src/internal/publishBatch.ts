import type { Context } from 'hono';
import type { ConnectionEvent } from '@beacon/detector';
import { isServerError } from '../serverError.js';
import type { AppContext } from './context.js';
import type { DecodedBatch } from '../telemetry/decodeBatch.js';

/** Seconds a data plane is asked to wait when the stream cannot take its batch. */
const RETRY_AFTER_SECONDS = 2;

/**
 * The telemetry route when `publishTelemetry` is set (a cluster shard): the decoded batch goes
 * to the publisher, and the answer waits for it. Wire rejections are counted here; accepted
 * events are counted by whoever consumes them. A publisher that is unavailable gives 503 with
 * `Retry-After`, so a data plane keeps the batch and retries: never 200 for an event not stored.
 */
export async function publishBatch(batch: DecodedBatch, ctx: AppContext, c: Context): Promise<Record<string, unknown>> {
  ctx.state.reject('invalid_wire', batch.rejected);
  const events: ConnectionEvent[] = [];
  for (const chunk of batch.chunks) for (const e of chunk.events) events.push(e);
  const published = { events, nodeId: batch.nodeId, batchId: batch.envelope.batchId, ...(batch.envelope.dataPlaneStats ? { dataPlaneStats: batch.envelope.dataPlaneStats } : {}) };
  try {
    await ctx.publishTelemetry!(published);
  } catch (error) {
    if (isServerError(error) && error.code === 'UNAVAILABLE') c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    throw error;
  }
  return {
    status: 'accepted',
    batch_id: batch.envelope.batchId || crypto.randomUUID(),
    node_id: batch.nodeId,
    events_received: batch.received,
    events_accepted: events.length,
    events_dropped: 0,
    events_rejected: batch.rejected,
    rejected: batch.rejections,
  };
}
