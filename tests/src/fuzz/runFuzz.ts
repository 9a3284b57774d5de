import { mutate, rng } from './mutate.js';
import type { FuzzTarget } from './targets.js';

/** A case slower than this is counted as a hang. */
export const HANG_MS = 5000;

/** What a fuzz run of one target came to. */
export interface FuzzReport {
  target: string;
  cases: number;
  accepted: number;
  rejected: number;
  /** Rejections by their named reason. */
  reasons: Record<string, number>;
  /** Inputs that threw or broke a promise: the case number and what happened. */
  findings: Array<{ caseNo: number; error: string; input: string }>;
  /** Cases still slower than HANG_MS when run again alone (a slow case among 16 at once on a busy machine is re-run before it counts). */
  hangs: number;
  /** Cases that took over HANG_MS among others, then re-run alone. */
  slowRechecked: number;
  maxMs: number;
  seconds: number;
}

/**
 * Runs `cases` inputs through a target: the seeds as they are, then mutations of them. Case n
 * uses PRNG seed `seed + n`, so any finding replays alone.
 */
export async function runFuzz(target: FuzzTarget, cases: number, seed = 1, onProgress?: (r: FuzzReport) => void): Promise<FuzzReport> {
  const report: FuzzReport = { target: target.name, cases: 0, accepted: 0, rejected: 0, reasons: {}, findings: [], hangs: 0, slowRechecked: 0, maxMs: 0, seconds: 0 };
  const slow: number[] = [];
  const started = performance.now();
  const inputOf = (n: number): Buffer => {
    const r = rng(seed + n);
    const base = target.seeds[n % target.seeds.length]!;
    // some cases mutate a mutation, to go further from the seeds
    let input = n < target.seeds.length ? base : mutate(base, r);
    if (r() < 0.2) input = mutate(input, r);
    return input;
  };
  const one = async (n: number): Promise<void> => {
    const input = inputOf(n);
    const t0 = performance.now();
    try {
      const outcome = await target.run(input, n);
      if ('accepted' in outcome) report.accepted++;
      else {
        report.rejected++;
        report.reasons[outcome.rejected] = (report.reasons[outcome.rejected] ?? 0) + 1;
      }
    } catch (error) {
      if (report.findings.length < 20) report.findings.push({ caseNo: n, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}`.slice(0, 2000) : String(error), input: input.subarray(0, 2000).toString('base64') });
      else report.findings.length++;
    }
    const ms = performance.now() - t0;
    if (ms > HANG_MS) slow.push(n);
    else if (ms > report.maxMs) report.maxMs = ms;
    report.cases++;
  };
  // Targets without shared state run a few cases at once (their readers wait on the event loop).
  const width = target.sequential ? 1 : 16;
  for (let n = 0; n < cases; n += width) {
    await Promise.all(Array.from({ length: Math.min(width, cases - n) }, (_, k) => one(n + k)));
    if (onProgress && Math.floor((n + width) / 10_000) > Math.floor(n / 10_000)) onProgress({ ...report, seconds: (performance.now() - started) / 1000 });
  }
  // Re-run the slow cases one at a time: only those still slow alone are hangs.
  for (const n of slow) {
    report.slowRechecked++;
    const t0 = performance.now();
    await target.run(inputOf(n), n).catch(() => undefined);
    const ms = performance.now() - t0;
    if (ms > HANG_MS) report.hangs++;
    if (ms > report.maxMs) report.maxMs = ms;
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
