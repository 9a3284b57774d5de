/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /**
   * Nominal delay after the first failure, milliseconds.
   * @default 500
   */
  initialMs?: number;
  /**
   * Longest nominal delay, milliseconds.
   * @default 30000
   */
  maxMs?: number;
  /**
   * Growth of the nominal delay per consecutive failure.
   * @default 2
   */
  factor?: number;
  /**
   * How the actual delay is drawn from the nominal one `d`: `equal` waits between `d/2` and `d`
   * (never sooner than half), `full` anywhere in `[0, d)` (spreads a crowd of retriers widest).
   * @default 'equal'
   */
  jitter?: 'equal' | 'full';
  /** Random source in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * The retry policy of every Beacon client that talks to another process: the webhook sink, the
 * data plane's telemetry exporter and JetStream forwarder, and the simulator. Exponential
 * backoff with jitter: the n-th consecutive failure has the nominal delay
 * `min(maxMs, initialMs x factor^(n-1))`, drawn down by the jitter so that many clients that lost
 * the same peer do not come back in lockstep.
 * @example
 * const backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
 * for (;;) {
 *   try { await send(); backoff.reset(); break; }
 *   catch { await sleep(backoff.fail()); }
 * }
 */
export class Backoff {
  /** Consecutive failures since the last success. */
  failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly full: boolean;
  private readonly random: () => number;

  constructor({ initialMs = 500, maxMs = 30_000, factor = 2, jitter = 'equal', random = Math.random }: BackoffOptions = {}) {
    this.initialMs = initialMs;
    this.maxMs = Math.max(initialMs, maxMs);
    this.factor = factor;
    this.full = jitter === 'full';
    this.random = random;
  }

  /** Records a failure and returns how long to wait before the next attempt, milliseconds. */
  fail(): number {
    this.failures++;
    return this.delayAfter(this.failures);
  }

  /** Records a success: the next failure starts from `initialMs` again. */
  reset(): void {
    this.failures = 0;
  }

  /** The delay, milliseconds, after `failures` consecutive failures (1 or more), without recording one. */
  delayAfter(failures: number): number {
    const nominal = Math.min(this.maxMs, this.initialMs * this.factor ** Math.max(0, failures - 1));
    return this.full ? Math.floor(this.random() * nominal) : nominal / 2 + (nominal / 2) * this.random();
  }
}

/**
 * Resolves after `ms` milliseconds, or rejects with the signal's reason when it aborts first.
 * @example await sleep(backoff.fail(), AbortSignal.timeout(60_000));
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
