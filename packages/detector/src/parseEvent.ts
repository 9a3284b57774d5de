import { DetectorError } from './detectorError.js';
import type { ConnectionEvent } from './event.js';
import { connectionEventSchema } from './eventSchema.js';

/**
 * Validates an event at a boundary with {@link connectionEventSchema} (every field, full
 * address syntax). The detector's ingest path does its own allocation-free checks instead.
 * @throws {@link DetectorError} `INVALID_EVENT` naming the field path.
 */
export function parseEvent(input: unknown): ConnectionEvent {
  const r = connectionEventSchema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new DetectorError('INVALID_EVENT', `invalid connection event: ${problems.join('; ')}`, { cause: r.error });
}
