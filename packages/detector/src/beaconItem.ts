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
  /** Which side is ours: outbound, internal, inbound or external (always set by `toBeaconItem`; absent in items stored by older versions). */
  direction?: string;
  /** beacon, reconnect (a loop of failed attempts) or periodic (benign baseline). Always set by `toBeaconItem`. */
  kind?: string;
  /** Why the pair is not a finding (e.g. `inbound`, `below min_beacon_interval`); null when it is one. Always set by `toBeaconItem`. */
  reason?: string | null;
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
    /**
     * How much evidence the score rests on (see {@link BeaconEvidence}). Always set by
     * `toBeaconItem` for a scored pair; absent in items stored by older versions.
     */
    evidence?: BeaconEvidence;
  };
}

/**
 * How many intervals a score rests on and what that did to it: how strongly they rule out a
 * memoryless (Poisson) process, the cap on the score that follows, and the bounded-sleep signal.
 */
export interface BeaconEvidence {
  /** Intervals the score rests on. */
  intervals: number;
  /** Probability that a memoryless process gives intervals this regular (four binomial tests, Bonferroni-combined). */
  p_value: number;
  /** The highest score this evidence allows: below 0.7 while p_value > 0.01, 1 from p_value <= 1e-4. */
  cap: number;
  /** True when the cap lowered the score: sample size limited it. */
  limited: boolean;
  /** The severity band (lower-case) the score would have without the cap. */
  uncapped_confidence: string;
  /** Intervals outside [0.125, 2.5] x median (a memoryless process puts 26 % there). */
  outside_bounds: number;
  /** Probability that a memoryless process has so few intervals outside those bounds. */
  p_bounded: number;
  /** The bounded-sleep signal in [0, 0.9] (a sleep between a floor and a ceiling, no single period). */
  bounded_sleep: number;
  /** True when the bounded-sleep signal, not the weighted signals, set the score. */
  bounded_sleep_drove: boolean;
  /** One sentence on how sample size bore on the score, e.g. `11 intervals rule out a memoryless process only at p = 0.04: limited by sample size, score capped at 0.56 (HIGH without the cap)`. */
  note: string;
}
