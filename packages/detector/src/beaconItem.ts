/**
 * The beacon item: the JSON shape of one scored pair, exactly as the original control plane
 * serves it at /api/v1/beacons and embeds it in alerts (`details`). Field names are snake_case
 * on purpose: they are a compatibility contract. Timestamps are ISO 8601 UTC (`...Z`).
 */
export interface BeaconItem {
  pair_key: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  /** Protocol name: TCP, UDP, or the number as text. */
  protocol: string;
  cv_score: number;
  periodicity_score: number;
  jitter_score: number;
  size_score: number;
  combined_score: number;
  is_beacon: boolean;
  /** Severity band of the combined score, lower-case: critical, high, medium, low. */
  confidence: string;
  connection_count: number;
  duration_seconds: number;
  first_seen: string;
  last_seen: string;
  analysis_time: string;
  /** Set when a benign baseline (e.g. NTP) matched: the pair is periodic but expected. */
  benign_label?: string | null;
  /** TLS SNI / HTTP Host / DNS name: the name a name-keyed pair is keyed by, or the last name an address pair carried. */
  server_name?: string;
  /** A name-keyed pair's destination addresses (the beacon rotates over them). */
  dst_ips?: string[];
  /** On an address pair that carried a name: the `pair_key` of the name-keyed pair covering it. */
  name_pair_key?: string;
  interval_stats: {
    count: number;
    mean: number;
    std_dev: number;
    cv: number;
    median: number;
    min_interval: number;
    max_interval: number;
    jitter: number;
  };
  periodicity_result: {
    is_periodic: boolean;
    dominant_period: number | null;
    periodicity_score: number;
    frequency_peaks: number[];
  };
  explanation: {
    detected_interval_seconds: number | null;
    interval_mean_seconds: number;
    interval_std_seconds: number;
    dominant_fft_period_seconds: number | null;
    jitter_seconds: number;
    packet_size_cv: number;
    sample_count: number;
    observation_window_seconds: number;
    contributing_signals: Array<{
      name: string;
      score: number;
      weight: number;
      contribution: number;
      raw_value: number;
      threshold: number;
    }>;
    signals_above_threshold: string[];
    /** One human-readable sentence on what drove the score. */
    summary: string;
  };
}
