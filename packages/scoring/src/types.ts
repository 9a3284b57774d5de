/** Relative weight of each signal in the combined score. */
export interface Weights {
  /** Weight of the interval-regularity (coefficient of variation) signal. @default 0.35 */
  cv: number;
  /** Weight of the event-train periodicity signal. @default 0.35 */
  periodicity: number;
  /** Weight of the bounded-jitter signal. @default 0.15 */
  jitter: number;
  /** Weight of the payload-size regularity signal. @default 0.15 */
  size: number;
}

/** Severity bands of the combined score: >= 0.90 CRITICAL, >= 0.80 HIGH, >= 0.70 MEDIUM, else LOW. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** Names of the four signals, as used in {@link Weights} and {@link ComponentScores}. */
export type SignalName = keyof Weights;

/** Each signal's score in [0, 1]. */
export type ComponentScores = Record<SignalName, number>;

/** Summary statistics of the inter-arrival intervals, in seconds. */
export interface IntervalStats {
  /** Number of intervals. */
  count: number;
  mean: number;
  stdDev: number;
  /** Coefficient of variation, stdDev / mean (0 when mean is 0). */
  cv: number;
  median: number;
  min: number;
  max: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** Robust spread of the intervals around the period, in seconds. */
  jitter: number;
}

/** How one signal contributed to the combined score. */
export interface SignalContribution {
  name: SignalName;
  /** The signal's score in [0, 1]. */
  score: number;
  /** Its normalised weight (weights are scaled to sum to 1). */
  weight: number;
  /** score * weight: its share of the combined score. */
  contribution: number;
  /** The measured value behind the score (for example the robust CV). */
  rawValue: number;
  /** The raw value at which the signal starts to look beacon-like. */
  threshold: number;
}

/** Why a pair could not be scored. */
export type NotScoredReason = 'too_few_samples';

/** The result of {@link scorePair}. */
export interface ScoreResult {
  /** Combined score in [0, 1]. */
  score: number;
  severity: Severity;
  components: ComponentScores;
  /** Estimated beacon period in seconds, or null when none was found. */
  periodSeconds: number | null;
  stats: IntervalStats;
  /** Number of payload-size samples used. */
  sizeCount: number;
  explanation: {
    signals: SignalContribution[];
    /** One human-readable sentence on what drove the score. */
    summary: string;
  };
  /** Set when the pair was not scored; score is then 0. */
  notScored?: NotScoredReason;
}
