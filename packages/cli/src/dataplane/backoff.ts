/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /**
   * First delay, milliseconds.
   * @default 500
   */
  initialMs?: number;
  /**
   * Longest delay, milliseconds.
   * @default 30000
   */
  maxMs?: number;
  /**
   * Growth per failure.
   * @default 2
   */
  factor?: number;
  /** Random source in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and
 * all of `min(maxMs, initialMs x factor^(n-1))`, so many data planes that lost the same control
 * plane do not come back in lockstep, yet none retries sooner than half the nominal delay.
 */
export class Backoff {
  /** Consecutive failures since the last success. */
  failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly random: () => number;

  constructor({ initialMs = 500, maxMs = 30_000, factor = 2, random = Math.random }: BackoffOptions = {}) {
    this.initialMs = initialMs;
    this.maxMs = Math.max(initialMs, maxMs);
    this.factor = factor;
    this.random = random;
  }

  /** Records a failure and returns how long to wait before the next attempt, milliseconds. */
  fail(): number {
    this.failures++;
    const nominal = Math.min(this.maxMs, this.initialMs * this.factor ** (this.failures - 1));
    return nominal / 2 + (nominal / 2) * this.random();
  }

  /** Records a success: the next failure starts from `initialMs` again. */
  reset(): void {
    this.failures = 0;
  }
}
