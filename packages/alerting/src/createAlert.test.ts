import { describe, expect, it } from 'vitest';
import { isAlertingError } from './alertingError.js';
import { createAlert } from './createAlert.js';
import { beaconItem } from './internal/fixtures.js';
import { severityFromScore } from './severity.js';

const now = (): number => Date.UTC(2025, 0, 1, 0, 41, 10, 250);

describe('severityFromScore', () => {
  it.each([
    [1, 'critical'], [0.9, 'critical'], [0.8999, 'high'], [0.8, 'high'], [0.7, 'medium'],
    [0.6999, 'low'], [0.3, 'low'], [0.2999, 'info'], [0, 'info'], [Number.NaN, 'info'],
  ] as const)('%s -> %s', (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });
});

describe('createAlert', () => {
  it('builds the original alert shape', () => {
    const item = beaconItem();
    const alert = createAlert(item, { now });
    expect(alert.alert_id).toBe(`beacon-${item.pair_key}-${Math.floor(now() / 1000)}`);
    expect(alert.title).toBe('Beaconing Detected: 10.0.0.5 -> 203.0.113.9:443');
    expect(alert.severity).toBe('high');
    expect(alert.source).toBe('beacon_detector');
    expect(alert.details).toBe(item);
    expect(alert.timestamp).toBe('2025-01-01T00:41:10.250Z');
    expect(alert.tags).toEqual(['beacon', 'high', 'tcp']);
    expect(Object.keys(alert).sort()).toEqual(
      ['alert_id', 'description', 'details', 'severity', 'source', 'tags', 'timestamp', 'title'],
    );
  });

  it('explains the pair, score, period, counts and drivers', () => {
    const { description } = createAlert(beaconItem(), { now });
    expect(description).toContain('10.0.0.5 and 203.0.113.9:443/TCP');
    expect(description).toContain('Score: 0.874');
    expect(description).toContain('Severity: HIGH');
    expect(description).toContain('Interval: ~60.0 s (jitter 3.0 s)');
    expect(description).toContain('42 connections over 41.0 min');
    expect(description).toContain('first seen 2025-01-01T00:00:00.000Z');
    // strongest contribution first
    expect(description).toMatch(/Drivers: cv 0\.99 x 0\.35 = 0\.346; periodicity 0\.97 x 0\.35 = 0\.340; size 0\.60 x 0\.15 = 0\.090; jitter/);
    expect(description).toContain('Regular 60 s callbacks with low interval variation.');
  });

  it('marks benign baselines and adds custom tags once', () => {
    const alert = createAlert(beaconItem({ benign_label: 'NTP', combined_score: 0.95, protocol: 'UDP' }), { now, tags: ['ntp', 'beacon'], source: 'replay' });
    expect(alert.severity).toBe('critical');
    expect(alert.tags).toEqual(['beacon', 'critical', 'udp', 'benign', 'ntp']);
    expect(alert.source).toBe('replay');
    expect(alert.description).toContain('benign baseline "NTP"');
  });

  it('says "unknown" when no period is known', () => {
    const item = beaconItem({
      periodicity_result: { is_periodic: false, dominant_period: null, periodicity_score: 0, frequency_peaks: [] },
      interval_stats: { count: 0, mean: 0, std_dev: 0, cv: 0, median: 0, min_interval: 0, max_interval: 0, jitter: 0 },
    });
    item.explanation = { ...item.explanation, detected_interval_seconds: null };
    expect(createAlert(item, { now }).description).toContain('Interval: unknown.');
  });

  it('rejects an unusable item, naming what is wrong', () => {
    const bad = beaconItem({ pair_key: '', combined_score: Number.NaN });
    try {
      createAlert(bad);
      expect.unreachable();
    } catch (error) {
      expect(isAlertingError(error) && error.code).toBe('INVALID_ALERT');
      expect((error as Error).message).toMatch(/pair_key must be a non-empty string; combined_score must be a finite number/);
    }
  });
});
