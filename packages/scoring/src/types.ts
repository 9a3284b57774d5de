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
    /** One human-readable sentence on what drove the score; says when sample size limited it. */
    summary: string;
    /** How much evidence the score rests on, and the bounded-sleep signal (absent when not scored). */
    evidence?: EvidenceSummary;
  };
  /** Set when the pair was not scored; score is then 0. */
  notScored?: NotScoredReason;
}

/**
 * How strongly the intervals rule out a memoryless (Poisson) process, and what that did to the
 * score: `score = min(max(weighted sum of the four signals, boundedSleep), cap)`.
 */
export interface EvidenceSummary {
  /** Intervals the evidence rests on. */
  intervals: number;
  /** Probability that a memoryless process is this regular (the smallest of four binomial tests, times 4). */
  pValue: number;
  /** The highest score this evidence allows: below 0.7 while pValue > 0.01, 1 from pValue <= 1e-4. */
  cap: number;
  /** True when the cap lowered the score: sample size limited it. */
  limited: boolean;
  /** The severity the score would have without the cap; the summary names it when it differs. */
  uncappedSeverity: Severity;
  /** Intervals outside [0.125, 2.5] x median (a memoryless process puts 26 % there). */
  outsideBounds: number;
  /** Probability that a memoryless process has so few intervals outside those bounds. */
  pBounded: number;
  /** The bounded-sleep signal in [0, 0.9]. */
  boundedSleep: number;
  /** True when the bounded-sleep signal, not the weighted sum, set the score. */
  boundedDrove: boolean;
}
