import { toBeaconItem, type BeaconItem, type Detection } from '@beacon/detector';
import { z } from 'zod';

/**
 * The beacon row: the one JSON shape of a scored pair wherever Beacon prints beacons as JSON
 * (`beacon analyze --json`, `beacon agent --json`, and the rows of this package). A stable
 * contract for scripts: fields are only ever added, never renamed or removed.
 *
 * It is the control plane's beacon item (`/api/v1/beacons`, the original's field names, kept
 * exactly: `combined_score`, `confidence`, `interval_stats`, ...) plus three fields `beacon
 * analyze --json` has always had: `score`, `severity` and `interval`. Scores are rounded to 4
 * decimals; timestamps are ISO 8601 UTC. See docs/hunting.md for every field.
 */
export interface BeaconRow extends BeaconItem {
  /** The combined score, 0 to 1 (the same value as `combined_score`). */
  score: number;
  /** Severity band of the score, upper-case: CRITICAL (>= 0.9), HIGH (>= 0.8), MEDIUM (>= 0.7), LOW. */
  severity: string;
  /** Estimated period in seconds; null when none was found. */
  interval: number | null;
  /** Label of the benign baseline that matched (e.g. NTP): listed, never alerted. Null otherwise. */
  benign_label: string | null;
  /** Which side is ours: outbound, internal, inbound or external. */
  direction: string;
  /** beacon, reconnect (a loop of failed attempts) or periodic (benign baseline). */
  kind: string;
  /** Why the pair is not a finding (e.g. `inbound`); null when it is one. */
  reason: string | null;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * The row of one detection.
 * @example
 * detector.on('beacon', (d) => console.log(JSON.stringify(toBeaconRow(d))));
 */
export function toBeaconRow(d: Detection): BeaconRow {
  // The item is a fresh object: completed in place (same key order as a spread copy would
  // have), since copying some 25 keys per row was most of the cost of a large --json output.
  const row = toBeaconItem(d) as BeaconRow;
  const score = round(d.result.score);
  row.cv_score = round(row.cv_score);
  row.periodicity_score = round(row.periodicity_score);
  row.jitter_score = round(row.jitter_score);
  row.size_score = round(row.size_score);
  row.combined_score = score;
  row.benign_label = d.benignLabel;
  row.direction = d.direction;
  row.kind = d.kind;
  row.reason = d.reason;
  row.score = score;
  row.severity = d.result.severity;
  row.interval = d.result.periodSeconds === null ? null : round(d.result.periodSeconds);
  return row;
}

const num = z.number();
const iso = z.iso.datetime();

/**
 * The {@link BeaconRow} schema, for scripts and tests that read rows back (`beaconRowSchema.parse(row)`).
 * Strict: a row with a field it does not know fails, so the schema and the docs move together.
 */
export const beaconRowSchema: z.ZodType<BeaconRow> = z.strictObject({
  pair_key: z.string(),
  src_ip: z.string(),
  dst_ip: z.string(),
  dst_port: z.number().int().min(0).max(65535),
  protocol: z.string(),
  cv_score: num.min(0).max(1),
  periodicity_score: num.min(0).max(1),
  jitter_score: num.min(0).max(1),
  size_score: num.min(0).max(1),
  combined_score: num.min(0).max(1),
  is_beacon: z.boolean(),
  direction: z.enum(['outbound', 'internal', 'inbound', 'external']),
  kind: z.enum(['beacon', 'reconnect', 'periodic']),
  reason: z.string().nullable(),
  confidence: z.enum(['critical', 'high', 'medium', 'low']),
  connection_count: z.number().int().min(0),
  duration_seconds: num.min(0),
  first_seen: iso,
  last_seen: iso,
  analysis_time: iso,
  benign_label: z.string().nullable(),
  server_name: z.string().min(1).max(255).optional(),
  dst_ips: z.array(z.string()).optional(),
  name_pair_key: z.string().optional(),
  interval_stats: z.strictObject({
    count: num,
    mean: num,
    std_dev: num,
    cv: num,
    median: num,
    min_interval: num,
    max_interval: num,
    jitter: num,
  }),
  periodicity_result: z.strictObject({
    is_periodic: z.boolean(),
    dominant_period: num.nullable(),
    periodicity_score: num,
    frequency_peaks: z.array(num),
  }),
  explanation: z.strictObject({
    detected_interval_seconds: num.nullable(),
    interval_mean_seconds: num,
    interval_std_seconds: num,
    dominant_fft_period_seconds: num.nullable(),
    jitter_seconds: num,
    packet_size_cv: num,
    sample_count: num,
    observation_window_seconds: num,
    contributing_signals: z.array(
      z.strictObject({ name: z.string(), score: num, weight: num, contribution: num, raw_value: num, threshold: num }),
    ),
    signals_above_threshold: z.array(z.string()),
    summary: z.string(),
    evidence: z
      .strictObject({
        intervals: z.number().int().min(0),
        p_value: num.min(0).max(1),
        cap: num.min(0).max(1),
        limited: z.boolean(),
        uncapped_confidence: z.enum(['critical', 'high', 'medium', 'low']),
        outside_bounds: z.number().int().min(0),
        p_bounded: num.min(0).max(1),
        bounded_sleep: num.min(0).max(1),
        bounded_sleep_drove: z.boolean(),
        note: z.string(),
      })
      .optional(),
  }),
  score: num.min(0).max(1),
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']),
  interval: num.nullable(),
});
