/** One signal's verdict: its score in [0, 1], the measured raw value and the value at which it reads 0.5. */
export interface SignalScore {
  /** Score in [0, 1]; higher looks more like a beacon. */
  score: number;
  /** The measured value behind the score (dimensionless unless the signal says otherwise). */
  rawValue: number;
  /** The raw value at which the score crosses 0.5. */
  threshold: number;
}
