import { notScoredResult, summarize } from './internal/explain.js';
import { foldTrain, newFoldState } from './internal/fold.js';
import { scratchA } from './internal/scratch.js';
import { intervalStats } from './internal/stats.js';
import { checkArrayLike, validateSamples, type Samples } from './internal/validate.js';
import { CV_MIDPOINT, cvValue } from './signals/cvScore.js';
import { JITTER_MIDPOINT, jitterValue } from './signals/jitterScore.js';
import { PERIODICITY_MIDPOINT, periodicityValue } from './signals/periodicityScore.js';
import { MAD_TO_SD, robustCv } from './signals/robustCv.js';
import { SIZE_MIDPOINT, sizeValue } from './signals/sizeScore.js';
import { boundedSleepValue, evidenceCap, evidenceLogs, newBandCounts, type EvidenceLogs } from './signals/evidence.js';
import { severityOf } from './severity.js';
import type { EvidenceSummary, ScoreResult, SignalContribution, Weights } from './types.js';
import { DEFAULT_WEIGHTS, normalizeWeights } from './weights.js';

/** Fewer intervals than this are not scored (score 0, `notScored: 'too_few_samples'`). */
export const MIN_INTERVALS = 3;

const NORMALIZED_DEFAULTS = normalizeWeights(DEFAULT_WEIGHTS);
const fold = newFoldState();
const bands = newBandCounts();
const evState: EvidenceLogs = { log10Value: 0, log10Bounded: 0, outsideBounds: 0 };

/**
 * Scores one (source, destination) pair as a C2 beacon.
 *
 * `weighted = sum over signals of weight_s * score_s` with the weights scaled to sum to 1; when
 * `sizes` is empty the size signal is neutral and its weight is shared out over the other three
 * in proportion. The signals are {@link cvScore}, {@link periodicityScore}, {@link jitterScore}
 * and {@link sizeScore}; see each for its formula. The period comes from fitting a beat grid to
 * the event train ({@link fitEventTrain}) and is in seconds; it is null when the periodicity
 * signal is 0 (the grid explains too little of the train). Every threshold is relative to the
 * period or the median, so the score does not depend on the time scale.
 *
 * Two modifiers follow (see `explanation.evidence`): `score = min(max(weighted, boundedSleep), cap)`.
 * `cap` comes from how strongly the intervals rule out a memoryless (Poisson) process
 * ({@link evidenceCap}): a train that such a process produces more often than 1 time in 100
 * stays below the 0.7 alert threshold, so a few irregular events cannot look like a beacon by
 * luck. `boundedSleep` ({@link boundedSleepValue}) recognises a sleep drawn between a floor and
 * a ceiling (`sleep_min..sleep_max`) that has no single period.
 *
 * Fewer than 3 intervals give score 0 with `notScored: 'too_few_samples'` (no exception).
 * Allocation per call is the result object only (scratch buffers are reused); the
 * `explanation.summary` sentence only concatenates cached strings.
 * @param intervals - inter-arrival times in seconds, in time order.
 * @param sizes - payload sizes in bytes (any order; may be empty).
 * @param weights - relative weights, defaulting to {@link DEFAULT_WEIGHTS}; partial weights take
 *   the defaults for missing fields.
 * @throws {@link ScoringError} `INVALID_INTERVAL` / `INVALID_SIZE` naming the input and index of
 *   a NaN, infinite or negative value; `INVALID_WEIGHTS` for non-finite, negative or all-zero weights.
 * @example
 * const intervals = [60, 59.5, 60.2, 60, 61, 59.8, 60.1, 60, 60.4, 59.7, 60, 60.3, 59.9, 60];
 * const r = scorePair(intervals, intervals.map(() => 310));
 * r.score; // ~1.0
 * r.severity; // 'CRITICAL'
 * r.periodSeconds; // ~60.1
 * scorePair(intervals.slice(0, 5), []).explanation.summary; // '... limited by sample size (CRITICAL without the cap): 5 intervals ...'
 */
export function scorePair(intervals: Samples, sizes: Samples, weights?: Partial<Weights>): ScoreResult {
  checkArrayLike(intervals, 'intervals');
  const n = intervals.length;
  const work = scratchA(n);
  // validates the intervals in its first pass and counts the evidence bands in its MAD pass
  const stats = intervalStats(intervals, n, work, bands);
  validateSamples(sizes, 'sizes');
  const w = weights === undefined ? NORMALIZED_DEFAULTS : normalizeWeights(weights);
  const sizeCount = sizes.length;
  const sizesAbsent = sizeCount === 0;
  // with no sizes, the size weight is shared over the other signals in proportion
  const scale = sizesAbsent && w.size < 1 ? 1 / (1 - w.size) : 1;
  const wCv = w.cv * scale;
  const wPer = w.periodicity * scale;
  const wJit = w.jitter * scale;
  const wSize = sizesAbsent ? 0 : w.size;

  if (n < MIN_INTERVALS) {
    const signals: SignalContribution[] = [
      entry('cv', wCv, 0, Number.NaN, Number.NaN),
      entry('periodicity', wPer, 0, Number.NaN, Number.NaN),
      entry('jitter', wJit, 0, Number.NaN, Number.NaN),
      entry('size', wSize, 0, Number.NaN, Number.NaN),
    ];
    return notScoredResult(
      { score: 0, severity: 'LOW', components: { cv: 0, periodicity: 0, jitter: 0, size: 0 }, periodSeconds: null, stats, sizeCount },
      signals,
    );
  }

  const rcv = stats.median > 0 ? (MAD_TO_SD * stats.mad) / stats.median : stats.mean > 0 ? stats.cv : Number.NaN;
  const cv = cvValue(rcv);
  const seed = stats.median > 0 ? stats.median : stats.mean;
  let explained = 0;
  let relJitter = Number.NaN;
  let fitted: number | null = null;
  if (seed > 0) {
    foldTrain(intervals, n, seed, work, fold);
    explained = fold.explained;
    relJitter = fold.spread;
    if (fold.onGrid > 0) fitted = fold.period;
  }
  const periodicity = periodicityValue(explained);
  const jitter = jitterValue(relJitter);
  const sizeCv = sizesAbsent ? Number.NaN : robustCv(sizes);
  const size = sizesAbsent ? 0 : sizeValue(sizeCv);
  if (fitted !== null && !Number.isNaN(relJitter)) stats.jitter = relJitter * fitted;
  // a train that the grid explains too poorly to score has no period worth reporting
  const periodSeconds = periodicity > 0 ? fitted : null;

  const signals: SignalContribution[] = [
    entry('cv', wCv, cv, rcv, CV_MIDPOINT),
    entry('periodicity', wPer, periodicity, explained, PERIODICITY_MIDPOINT),
    entry('jitter', wJit, jitter, relJitter, JITTER_MIDPOINT),
    entry('size', wSize, size, sizeCv, sizesAbsent ? Number.NaN : SIZE_MIDPOINT),
  ];
  let weighted = wCv * cv + wPer * periodicity + wJit * jitter + wSize * size;
  weighted = weighted < 0 ? 0 : weighted > 1 ? 1 : weighted;
  // evidence against a memoryless process: caps the score, and its bounded test is the
  // bounded-sleep signal (a floor and a ceiling without a single period)
  const ev = evidenceLogs(n, bands, evState);
  // the logs only where the maps are not flat: cap 1 from p <= 1e-4, bounded 0 at p = 1
  const cap = evidenceCap(ev.log10Value);
  const bounded = boundedSleepValue(ev.log10Bounded);
  const raw = bounded > weighted ? bounded : weighted;
  const score = raw > cap ? cap : raw;
  const severity = severityOf(score);
  const evidence: EvidenceSummary = {
    intervals: n,
    pValue: Math.exp(-ev.log10Value * Math.LN10),
    cap,
    limited: raw > cap,
    uncappedSeverity: raw > cap ? severityOf(raw) : severity,
    outsideBounds: ev.outsideBounds,
    pBounded: Math.exp(-ev.log10Bounded * Math.LN10),
    boundedSleep: bounded,
    boundedDrove: bounded > weighted && bounded > 0,
  };
  return {
    score,
    severity,
    components: { cv, periodicity, jitter, size },
    periodSeconds,
    stats,
    sizeCount,
    explanation: {
      signals,
      summary: summarize(score, severity, signals, periodSeconds, seed > 0 ? fold.missed : 0, seed > 0 ? fold.short : 0, sizesAbsent, evidence),
      evidence,
    },
  };
}

function entry(name: SignalContribution['name'], weight: number, score: number, rawValue: number, threshold: number): SignalContribution {
  return { name, score, weight, contribution: score * weight, rawValue, threshold };
}

