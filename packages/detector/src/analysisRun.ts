import type { Detection } from './detection.js';

/**
 * Summary of one analysis run, with the original's field names (the `run` object of
 * `POST /api/v1/analyze`). Times are ISO 8601 UTC.
 */
export interface AnalysisRun {
  run_id: string;
  start_time: string;
  end_time: string;
  duration_seconds: number;
  /** Dirty pairs with enough events that were scored. */
  pairs_analyzed: number;
  /** Pairs at or above the alert threshold that raised no alert: benign baseline, cooldown or no rise. */
  pairs_suppressed: number;
  beacons_detected: number;
  alerts_generated: number;
  /** Dirty pairs not scored: fewer than minConnections events in their window. */
  pairs_skipped: number;
  /** Pairs whose scoring threw (each also reported through the `error` event). */
  errors: number;
}

/** What {@link AnalysisRun} summarises, plus the beacons it found (`beacons_found`). */
export interface AnalysisReport {
  run: AnalysisRun;
  /** Beacon detections of this run (benign ones included, marked), highest score first. */
  beacons: Detection[];
}
