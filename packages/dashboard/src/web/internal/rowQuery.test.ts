import { describe, expect, it } from 'vitest';
import { allowlistRule, fromBeaconItem, fromReportRow, keyOf, type Row } from './model.js';
import { DEFAULT_QUERY, distinct, queryRows } from './rowQuery.js';

function row(i: number, over: Partial<Row> = {}): Row {
  return {
    key: `k${i}`, src: `10.0.0.${i}`, dst: '203.0.113.9', port: 443 + i, proto: 'TCP', score: i / 10, severity: i > 7 ? 'critical' : 'low', isBeacon: true, benign: null, conns: 100 - i,
    interval: 60, components: { cv: 1, periodicity: 1, jitter: 1, size: 1 }, weights: null, firstSeen: 0, lastSeen: i, kind: i % 2 ? 'burst' : 'flow', direction: 'outbound', reason: null, summary: '', ...over,
  };
}

describe('queryRows', () => {
  const rows = Array.from({ length: 10 }, (_, i) => row(i));
  it('sorts by score by default and by any column both ways', () => {
    expect(queryRows(rows, DEFAULT_QUERY).map((r) => r.key)).toEqual(['k9', 'k8', 'k7', 'k6', 'k5', 'k4', 'k3', 'k2', 'k1', 'k0']);
    expect(queryRows(rows, { ...DEFAULT_QUERY, sort: 'conns', descending: true })[0]!.key).toBe('k0');
    expect(queryRows(rows, { ...DEFAULT_QUERY, sort: 'severity', descending: true }).slice(0, 2).map((r) => r.key)).toEqual(['k9', 'k8']);
    expect(queryRows(rows, { ...DEFAULT_QUERY, sort: 'src', descending: false })[0]!.src).toBe('10.0.0.0');
  });
  it('filters by severity, kind, direction and text together', () => {
    expect(queryRows(rows, { ...DEFAULT_QUERY, severity: 'critical' }).map((r) => r.key)).toEqual(['k9', 'k8']);
    expect(queryRows(rows, { ...DEFAULT_QUERY, kind: 'burst', severity: 'critical' }).map((r) => r.key)).toEqual(['k9']);
    expect(queryRows(rows, { ...DEFAULT_QUERY, text: '10.0.0.3' }).map((r) => r.key)).toEqual(['k3']);
    expect(queryRows(rows, { ...DEFAULT_QUERY, text: '446' }).map((r) => r.key)).toEqual(['k3']);
    expect(queryRows(rows, { ...DEFAULT_QUERY, direction: 'inbound' })).toEqual([]);
    expect(distinct(rows, 'kind')).toEqual(['burst', 'flow']);
  });
  it('puts benign-labelled pairs below the rest when sorting by score', () => {
    const mixed = [row(9, { benign: 'NTP' }), row(1)];
    expect(queryRows(mixed, DEFAULT_QUERY).map((r) => r.key)).toEqual(['k1', 'k9']);
    expect(queryRows(mixed, { ...DEFAULT_QUERY, sort: 'conns', descending: false }).map((r) => r.key)).toEqual(['k9', 'k1']);
  });
});

describe('rows from both sources', () => {
  it('maps the live beacon item and the report row to the same row', () => {
    const live = fromBeaconItem({
      pair_key: '10.0.0.1->203.0.113.9:443/TCP', src_ip: '10.0.0.1', dst_ip: '203.0.113.9', dst_port: 443, protocol: 'TCP', cv_score: 0.9, periodicity_score: 0.8, jitter_score: 0.7,
      size_score: 0.6, combined_score: 0.81, is_beacon: true, confidence: 'high', connection_count: 50, first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-01T01:00:00Z',
      explanation: { detected_interval_seconds: 60, summary: 'regular', contributing_signals: [{ name: 'cv', weight: 0.4 }] },
    });
    const report = fromReportRow({
      src_ip: '10.0.0.1', dst_ip: '203.0.113.9', dst_port: 443, protocol: 'TCP', score: 0.81, severity: 'HIGH', is_beacon: true, benign_label: null, connection_count: 50, interval: 60,
      cv_score: 0.9, periodicity_score: 0.8, jitter_score: 0.7, size_score: 0.6, first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-01T01:00:00Z', explanation: { summary: 'regular' }, direction: 'outbound',
    });
    expect(report.key).toBe(live.key);
    expect({ ...report, weights: null, direction: null }).toEqual({ ...live, weights: null });
    expect(live.weights?.cv).toBe(0.4);
    expect(keyOf('::1', '2001:db8::1', 53, 'UDP')).toBe('::1->[2001:db8::1]:53/UDP');
    expect(allowlistRule({ src: '::1', dst: '10.0.0.1', port: 53 })).toBe('[::1]:10.0.0.1:53');
  });
});
