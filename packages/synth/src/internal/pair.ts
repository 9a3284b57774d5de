import type { PairLabel, PairParams, SyntheticPair } from '../types.js';

/** Builds a pair from events (sorted by time here), deriving intervals. */
export function buildPair(
  id: string,
  label: PairLabel,
  profile: string,
  events: Array<{ t: number; size: number }>,
  params: PairParams,
): SyntheticPair {
  events.sort((a, b) => a.t - b.t);
  const n = events.length;
  const timestamps = new Float64Array(n);
  const sizes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    timestamps[i] = events[i]!.t;
    sizes[i] = events[i]!.size;
  }
  const intervals = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) intervals[i - 1] = timestamps[i]! - timestamps[i - 1]!;
  return { id, label, profile, timestamps, intervals, sizes, params };
}
