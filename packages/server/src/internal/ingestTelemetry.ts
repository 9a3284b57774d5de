import type { ConnectionEvent, Detector } from '@beacon/detector';
import { decodeEnvelope, decodeTelemetryEvent, isRejectedEvent, TelemetryFormatError, type RejectedEvent } from '../telemetry/decode.js';
import { ServerError } from '../serverError.js';
import type { ParsedBatch } from './parseBatch.js';
import type { ServerState } from './serverState.js';
import { yieldToLoop } from './yieldToLoop.js';

const MAX_LISTED = 20;
/** Detector field names back to the wire's, for rejection paths. */
const WIRE_FIELD: Record<string, string> = {
  tsSec: 'timestamp_ns',
  tsNsec: 'timestamp_ns',
  srcIp: 'src_ip',
  dstIp: 'dst_ip',
  srcPort: 'src_port',
  dstPort: 'dst_port',
  bytes: 'packet_size',
  tcpFlags: 'tcp_flags',
  durationSec: 'duration_seconds',
};

/** What one telemetry batch came to. */
export interface IngestSummary {
  batchId: string;
  nodeId: string;
  /** Events in the batch. */
  received: number;
  accepted: number;
  /** Allowlisted, or older than a full history ring. */
  dropped: number;
  rejected: number;
  /** The first rejections, with the wire path of the bad field. */
  rejections: RejectedEvent[];
}

/**
 * Validates a parsed batch and feeds the detector, one chunk at a time with a yield to the event
 * loop between chunks. The envelope is checked before any event is ingested, and every chunk is
 * decoded before the first is ingested, so a refused batch leaves no trace.
 * @throws {@link ServerError} `BAD_REQUEST` with the path of a bad envelope field
 */
export async function ingestTelemetry(batch: ParsedBatch, nodeHeader: string | undefined, detector: Detector, state: ServerState, nowMs: number): Promise<IngestSummary> {
  let envelope;
  try {
    envelope = decodeEnvelope(batch.envelope);
    if (batch.chunks === null) throw new TelemetryFormatError('events', 'must be an array');
  } catch (error) {
    if (error instanceof TelemetryFormatError) throw new ServerError('BAD_REQUEST', error.message, { path: error.path, cause: error });
    throw error;
  }
  const nodeId = envelope.nodeId === 'unknown' && nodeHeader ? nodeHeader : envelope.nodeId;
  const summary: IngestSummary = { batchId: envelope.batchId, nodeId, received: 0, accepted: 0, dropped: 0, rejected: 0, rejections: [] };
  const decoded: Array<{ events: ConnectionEvent[]; wireIndex: Int32Array }> = [];
  let index = 0;
  for (const chunk of batch.chunks) {
    const events: ConnectionEvent[] = [];
    const wireIndex = new Int32Array(chunk.length);
    for (let i = 0; i < chunk.length; i++, index++) {
      const result = decodeTelemetryEvent(chunk[i], index, nodeId);
      if (isRejectedEvent(result)) {
        summary.rejected++;
        if (summary.rejections.length < MAX_LISTED) summary.rejections.push(result);
      } else {
        wireIndex[events.length] = index;
        events.push(result);
      }
    }
    decoded.push({ events, wireIndex });
    if (decoded.length > 1) await yieldToLoop();
  }
  summary.received = index;
  state.reject('invalid_wire', summary.rejected);
  for (const [n, { events, wireIndex }] of decoded.entries()) {
    if (n > 0) await yieldToLoop();
    const res = detector.ingestBatch(events);
    summary.accepted += res.accepted;
    summary.dropped += res.allowlisted + res.historyFull;
    summary.rejected += res.rejected;
    for (const [reason, count] of Object.entries(res.reasons)) state.reject(reason, count);
    for (const issue of res.issues) {
      if (summary.rejections.length >= MAX_LISTED) break;
      const field = WIRE_FIELD[issue.path] ?? issue.path;
      summary.rejections.push({ path: `events[${wireIndex[issue.index]}]${field ? `.${field}` : ''}`, message: issue.message });
    }
  }
  state.batchesProcessed++;
  state.eventsReceived += summary.received;
  state.eventsAccepted += summary.accepted;
  state.eventsDropped += summary.dropped;
  if (envelope.dataPlaneStats) state.nodeStats(nodeId, envelope.dataPlaneStats, nowMs);
  return summary;
}
