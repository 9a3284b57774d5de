import type { ConnectionEvent, Detector } from '@beacon/detector';
import type { RejectedEvent } from '../telemetry/decode.js';
import type { DecodedBatch, DecodedChunk } from '../telemetry/decodeBatch.js';
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
  serverName: 'server_name',
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
 * Takes out of a chunk the events dated beyond `maxTsSec` (the server clock plus the tolerance):
 * one such event would otherwise become its pair's newest and make every later real event of
 * that pair "too late". Returns the kept events (the same arrays when none was taken out).
 */
function dropFuture(chunk: DecodedChunk, maxTsSec: number, summary: IngestSummary, state: ServerState, toleranceSec: number): DecodedChunk {
  const { events, wireIndex } = chunk;
  let n = 0;
  for (const e of events) if (e.tsSec > maxTsSec) n++;
  if (n === 0) return chunk;
  const kept: ConnectionEvent[] = [];
  const index = new Int32Array(events.length - n);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.tsSec <= maxTsSec) {
      index[kept.length] = wireIndex[i]!;
      kept.push(e);
    } else if (summary.rejections.length < MAX_LISTED)
      summary.rejections.push({ path: `events[${wireIndex[i]}].timestamp_ns`, message: `is more than ${toleranceSec} s ahead of the server clock` });
  }
  summary.rejected += n;
  state.reject(FUTURE_TIME, n);
  return { events: kept, wireIndex: index };
}

/** Rejection reason of events dated too far ahead of the server clock. */
export const FUTURE_TIME = 'future_time';

/**
 * Feeds a decoded batch to the detector, one chunk at a time with a yield to the event loop
 * between chunks, and updates the server counters. The events were validated by the decoder,
 * so they take the detector's trusted path; the batch is counted once.
 */
export async function ingestTelemetry(batch: DecodedBatch, detector: Detector, state: ServerState, nowMs: number, futureToleranceSec: number): Promise<IngestSummary> {
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
  const maxTsSec = Math.floor(nowMs / 1000) + futureToleranceSec;
  for (let n = 0; n < chunks.length; n++) {
    if (n > 0) await yieldToLoop();
    const { events, wireIndex } = dropFuture(chunks[n]!, maxTsSec, summary, state, futureToleranceSec);
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
