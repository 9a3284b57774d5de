import type { ConnectionEvent, Detector } from '@beacon/detector';
import type { DataPlaneStats } from '../telemetry/wire.js';
import { FUTURE_TIME } from './ingestTelemetry.js';
import type { ServerState } from './serverState.js';

/** What {@link ControlPlane.ingestEvents} did with one batch of events. */
export interface IngestedEvents {
  received: number;
  accepted: number;
  /** Allowlisted, or older than a full history ring. */
  dropped: number;
  rejected: number;
}

/**
 * Feeds events that were validated elsewhere to the detector in one synchronous call and
 * counts them as one telemetry batch (the server counters `status` shows). Synchronous on
 * purpose: a caller recording how far it has read (a stream sequence) next to the state this
 * produced never sees half a batch applied.
 */
export function ingestEvents(detector: Detector, state: ServerState, events: readonly ConnectionEvent[], meta: { nodeId: string; dataPlaneStats?: DataPlaneStats | undefined }, nowMs: number, futureToleranceSec = 300): IngestedEvents {
  // As the telemetry route does: events dated beyond the clock plus the tolerance are refused and counted.
  const maxTsSec = Math.floor(nowMs / 1000) + futureToleranceSec;
  let kept: readonly ConnectionEvent[] = events;
  if (events.some((e) => e.tsSec > maxTsSec)) {
    kept = events.filter((e) => e.tsSec <= maxTsSec);
    state.reject(FUTURE_TIME, events.length - kept.length);
  }
  const res = detector.ingestBatch(kept, { trusted: true });
  for (const reason in res.reasons) state.reject(reason, res.reasons[reason as keyof typeof res.reasons] ?? 0);
  const out = { received: events.length, accepted: res.accepted, dropped: res.allowlisted + res.historyFull, rejected: res.rejected + events.length - kept.length };
  state.batchesProcessed++;
  state.eventsReceived += out.received;
  state.eventsAccepted += out.accepted;
  state.eventsDropped += out.dropped;
  if (meta.dataPlaneStats) state.nodeStats(meta.nodeId, meta.dataPlaneStats, nowMs);
  return out;
}
