import { describe, expect, it } from 'vitest';
import { LISTINGS, mergeListing, sumDeep } from './mergeJson.js';
import { mergeMetrics } from './mergeMetrics.js';

describe('merging shard answers', () => {
  it('sums counters, keeps settings, ANDs running', () => {
    const a = { events_received: 10, storage: { pair_count: 3, retention_seconds: 7200 }, analyzer: { running: true, analysis_interval: 60 }, alerter: { queue_fill_percent: 5 }, events_rejected_by_reason: { a: 1 } };
    const b = { events_received: 5, storage: { pair_count: 4, retention_seconds: 7200 }, analyzer: { running: false, analysis_interval: 60 }, alerter: { queue_fill_percent: 9 }, events_rejected_by_reason: { b: 2 } };
    expect(sumDeep(a, [b])).toEqual({ events_received: 15, storage: { pair_count: 7, retention_seconds: 7200 }, analyzer: { running: false, analysis_interval: 60 }, alerter: { queue_fill_percent: 9 }, events_rejected_by_reason: { a: 1, b: 2 } });
  });
  it('sorts and limits listings as one node does', () => {
    const one = { count: 2, beacons: [{ pair_key: 'a', combined_score: 0.9 }, { pair_key: 'c', combined_score: 0.5 }] };
    const two = { count: 2, beacons: [{ pair_key: 'b', combined_score: 0.95 }, { pair_key: 'd', combined_score: 0.9 }] };
    const merged = mergeListing(LISTINGS['/api/v1/beacons']!, [one, two], '3');
    expect(merged.count).toBe(3);
    expect((merged.beacons as { pair_key: string }[]).map((b) => b.pair_key)).toEqual(['b', 'a', 'd']);
  });
  it('sums Prometheus samples by name and labels, the largest for durations', () => {
    const a = '# HELP x_total X\n# TYPE x_total counter\nx_total 3\n# HELP d_seconds D\n# TYPE d_seconds gauge\nbeacon_detector_analysis_duration_seconds 0.5\n# HELP r_total R\n# TYPE r_total counter\nr_total{reason="a"} 1\n';
    const b = '# HELP x_total X\n# TYPE x_total counter\nx_total 4\n# HELP r_total R\n# TYPE r_total counter\nr_total{reason="b"} 2\n';
    const out = mergeMetrics([a, b]);
    expect(out).toContain('x_total 7\n');
    expect(out).toContain('r_total{reason="a"} 1\nr_total{reason="b"} 2\n');
    expect(out.match(/# HELP x_total/g)).toHaveLength(1);
  });
});
