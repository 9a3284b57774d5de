import { beaconRowSchema, type BeaconRow } from '@beacon/hunt';
import { expect } from 'vitest';

/**
 * The beacon row's top-level fields, in the order the docs list them (docs/hunting.md). Every
 * place that prints beacons as JSON (`beacon agent --json`, `beacon analyze --json`, the hunt
 * library's rows) is checked against this one list and `beaconRowSchema`, so they cannot drift.
 */
export const BEACON_ROW_FIELDS: readonly string[] = [
  'pair_key', 'src_ip', 'dst_ip', 'dst_port', 'protocol', 'cv_score', 'periodicity_score', 'jitter_score', 'size_score',
  'combined_score', 'is_beacon', 'confidence', 'connection_count', 'duration_seconds', 'first_seen', 'last_seen',
  'analysis_time', 'benign_label', 'interval_stats', 'periodicity_result', 'explanation', 'score', 'severity', 'interval',
];

/** Asserts that every item is a valid beacon row with exactly the documented fields; returns them typed. */
export function expectBeaconRows(items: readonly unknown[], where: string): BeaconRow[] {
  return items.map((item, i) => {
    const parsed = beaconRowSchema.safeParse(item);
    expect(parsed.error?.issues ?? [], `${where}[${i}]`).toEqual([]);
    expect(Object.keys(item as object).sort(), `${where}[${i}] fields`).toEqual([...BEACON_ROW_FIELDS].sort());
    const row = item as BeaconRow;
    // The aliases agree with the API's names.
    expect(row.score, `${where}[${i}].score`).toBe(row.combined_score);
    expect(row.severity.toLowerCase(), `${where}[${i}].severity`).toBe(row.confidence);
    return row;
  });
}
