import type { AnalysisReport } from './analysisRun.js';
import type { AlertDecision, Detection } from './detection.js';
import type { DetectorError } from './detectorError.js';

/** Why state was given up. */
export type EvictionReason =
  /** The pair cap (`maxPairs`) was reached: the least recently seen pair went. */
  | 'max_pairs'
  /** The open-flow cap (`maxOpenFlows`) was reached: the least recently active flow went. */
  | 'max_open_flows'
  /** Idle longer than the retention: expired by cleanup. */
  | 'expired';

/** Payload of the `evicted` event. */
export interface EvictionEvent {
  reason: EvictionReason;
  pairKey: string;
  /** History entries lost with it. */
  records: number;
}

/** Payload of the `alert` event. */
export interface AlertEvent {
  detection: Detection;
  /** `new`, `score_rise` or `severity_up`. */
  reason: AlertDecision;
}

/**
 * The detector's typed events (eventemitter3 event map).
 * @example
 * detector.on('alert', ({ detection }) => console.log(detection.pairKey, detection.result.score));
 */
export interface DetectorEvents {
  /** Every pair scored in an analysis run, beacon or not (`isBeacon` tells). */
  scored: [detection: Detection];
  /** A pair scored as a beacon in an analysis run (every run it stays one). */
  beacon: [detection: Detection];
  /** A beacon passed alert gating (threshold, not benign, cooldown, rise). */
  alert: [alert: AlertEvent];
  /** An analysis run finished. */
  analysis: [report: AnalysisReport];
  /** A pair or open flow was evicted or expired. */
  evicted: [event: EvictionEvent];
  /** Something failed inside the loop (scoring one pair); the run carried on. */
  error: [error: DetectorError];
}
