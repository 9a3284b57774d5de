/**
 * Ground truth of a generated pair: `c2` is a beacon that must be found; `benign` must not be
 * flagged; `benign-periodic` (NTP, antivirus, telemetry) is genuinely periodic, so finding it
 * is correct and silencing it is an allowlist's job.
 */
export type PairLabel = 'c2' | 'benign' | 'benign-periodic';

/** One labelled synthetic (source, destination) pair. */
export interface SyntheticPair {
  /** Stable id, e.g. `cobalt-strike#12`. */
  id: string;
  label: PairLabel;
  /** Profile or process name, e.g. `cobalt-strike`, `poisson`, `ntp`. */
  profile: string;
  /** Event times in seconds, ascending. */
  timestamps: Float64Array;
  /** `timestamps[i + 1] - timestamps[i]`, seconds (length = events - 1). */
  intervals: Float64Array;
  /** Payload size of each event in bytes (same length as `timestamps`). */
  sizes: Float64Array;
  /** The parameters the pair was generated with. */
  params: PairParams;
}

/** Generation parameters recorded on a {@link SyntheticPair}. */
export interface PairParams {
  /** Configured sleep / mean interval in seconds. */
  periodSeconds: number;
  /** Jitter fraction used (0 when not applicable). */
  jitter: number;
  /** Fraction of callbacks dropped. */
  missedFraction: number;
  /** Number of tasking bursts inserted. */
  taskingBursts: number;
  /** Seed the pair was generated from. */
  seed: number;
}
