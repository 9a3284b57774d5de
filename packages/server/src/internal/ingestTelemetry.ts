import type { Detector } from '@beacon/detector';
import type { RejectedEvent } from '../telemetry/decode.js';
import type { DecodedBatch } from './decodeBatch.js';
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
 * Feeds a decoded batch to the detector, one chunk at a time with a yield to the event loop
 * between chunks, and updates the server counters. The events were validated by the decoder,
 * so they take the detector's trusted path; the batch is counted once.
 */
export async function ingestTelemetry(batch: DecodedBatch, detector: Detector, state: ServerState, nowMs: number): Promise<IngestSummary> {
  const { nodeId } = batch;
  const summary: IngestSummary = {
    batchId: batch.envelope.batchId,
    nodeId,
    received: batch.received,
    accepted: 0,
    dropped: 0,
    rejected: batch.rejected,
    rejections: batch.rejections.slice(0, MAX_LISTED),
  };
  state.reject('invalid_wire', batch.rejected);
  const chunks = batch.chunks.length > 0 ? batch.chunks : [{ events: [], wireIndex: new Int32Array(0) }];
  for (let n = 0; n < chunks.length; n++) {
    if (n > 0) await yieldToLoop();
    const { events, wireIndex } = chunks[n]!;
    const res = detector.ingestBatch(events, { trusted: true, countBatch: n === 0 });
    summary.accepted += res.accepted;
    summary.dropped += res.allowlisted + res.historyFull;
    summary.rejected += res.rejected;
    for (const reason in res.reasons) state.reject(reason, res.reasons[reason as keyof typeof res.reasons] ?? 0);
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
  if (batch.envelope.dataPlaneStats) state.nodeStats(nodeId, batch.envelope.dataPlaneStats, nowMs);
  return summary;
}
