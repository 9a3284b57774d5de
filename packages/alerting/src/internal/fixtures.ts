import type { BeaconItem } from '@beacon/detector';

/** A realistic beacon item for tests: a 60 s beacon scored 0.874. */
export function beaconItem(overrides: Partial<BeaconItem> = {}): BeaconItem {
  return {
    pair_key: '10.0.0.5:203.0.113.9:443:TCP',
    src_ip: '10.0.0.5',
    dst_ip: '203.0.113.9',
    dst_port: 443,
    protocol: 'TCP',
    cv_score: 0.99,
    periodicity_score: 0.97,
    jitter_score: 0.5,
    size_score: 0.6,
    combined_score: 0.874,
    is_beacon: true,
    confidence: 'high',
    connection_count: 42,
    duration_seconds: 2460,
    first_seen: '2025-01-01T00:00:00.000Z',
    last_seen: '2025-01-01T00:41:00.000Z',
    analysis_time: '2025-01-01T00:41:05.000Z',
    benign_label: null,
    interval_stats: { count: 41, mean: 60, std_dev: 1.2, cv: 0.02, median: 60, min_interval: 57, max_interval: 63, jitter: 3 },
    periodicity_result: { is_periodic: true, dominant_period: 60, periodicity_score: 0.97, frequency_peaks: [60] },
    explanation: {
      detected_interval_seconds: 60,
      interval_mean_seconds: 60,
      interval_std_seconds: 1.2,
      dominant_fft_period_seconds: 60,
      jitter_seconds: 3,
      packet_size_cv: 0.4,
      sample_count: 41,
      observation_window_seconds: 2460,
      contributing_signals: [
        { name: 'cv', score: 0.99, weight: 0.35, contribution: 0.3465, raw_value: 0.02, threshold: 0.15 },
        { name: 'periodicity', score: 0.97, weight: 0.35, contribution: 0.3395, raw_value: 0.97, threshold: 0.7 },
        { name: 'jitter', score: 0.5, weight: 0.15, contribution: 0.075, raw_value: 3, threshold: 5 },
        { name: 'size', score: 0.6, weight: 0.15, contribution: 0.09, raw_value: 0.4, threshold: 0.3 },
      ],
      signals_above_threshold: ['cv', 'periodicity'],
      summary: 'Regular 60 s callbacks with low interval variation',
    },
    ...overrides,
  };
}
