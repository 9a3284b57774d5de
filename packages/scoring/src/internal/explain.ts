import { severityOf } from '../severity.js';
import type { EvidenceSummary, ScoreResult, SignalContribution } from '../types.js';

/** One sentence on what drove the score. Built on every call, so it only concatenates cached strings. */
export function summarize(
  score: number,
  severity: string,
  signals: SignalContribution[],
  periodSeconds: number | null,
  missed: number,
  short: number,
  sizesAbsent: boolean,
  evidence?: EvidenceSummary,
): string {
  let top: SignalContribution | undefined;
  let low: SignalContribution | undefined;
  for (const s of signals) {
    if (s.weight === 0) continue;
    if (top === undefined || s.contribution > top.contribution) top = s;
    if (low === undefined || s.score < low.score) low = s;
  }
  let text = 'score ' + fixed(score, 1000) + ' (' + severity + ')';
  text += periodSeconds === null ? ', no beat period found' : ', period ' + seconds(periodSeconds) + ' s';
  if (top !== undefined) text += '; strongest signal ' + top.name + ' (' + fixed(top.score, 100) + ' x ' + fixed(top.weight, 100) + ')';
  if (low !== undefined && low !== top && low.score < top!.score - 0.01) text += ', weakest ' + low.name + ' (' + fixed(low.score, 100) + ')';
  if (missed > 0) text += '; ' + missed + ' missed beat(s) folded';
  if (short > 0) text += '; ' + short + ' burst interval(s) merged';
  if (sizesAbsent) text += '; no payload sizes, size weight redistributed';
  if (evidence !== undefined) {
    if (evidence.boundedDrove && !evidence.limited) {
      text +=
        '; bounded sleep: ' + (evidence.intervals - evidence.outsideBounds) + ' of ' + evidence.intervals +
        ' intervals within 0.125-2.5 x median (memoryless process: p ' + pText(evidence.pBounded) + ')';
    }
    if (evidence.limited && evidence.uncappedSeverity !== severity) {
      text +=
        '; limited by sample size (' + evidence.uncappedSeverity + ' without the cap): ' + evidence.intervals + ' intervals rule out a memoryless process only at p ' +
        pText(evidence.pValue) + ' (cap ' + fixed(evidence.cap, 100) + ')';
    }
  }
  return text;
}

/**
 * One sentence on how sample size bore on a score: how strongly its intervals rule out a
 * memoryless process, and whether the cap that follows from that lowered the score.
 * @example
 * describeEvidence(scorePair(intervals.slice(0, 5), []).explanation.evidence!)
 * // '5 intervals rule out a memoryless process only at p = 0.08: limited by sample size, score capped at 0.38 (CRITICAL without the cap)'
 */
export function describeEvidence(e: EvidenceSummary): string {
  const head = e.intervals + ' intervals rule out a memoryless process ';
  if (e.limited) {
    const band = e.uncappedSeverity === severityOf(e.cap);
    return (
      head + 'only at p ' + pText(e.pValue) + (band ? ': score capped at ' : ': limited by sample size, score capped at ') + fixed(e.cap, 100) +
      (band ? ' (same severity without the cap)' : ' (' + e.uncappedSeverity + ' without the cap)')
    );
  }
  if (e.cap < 1) return head + 'only at p ' + pText(e.pValue) + ': the score may not exceed ' + fixed(e.cap, 100) + ' (not reached)';
  return head + 'at p ' + pText(e.pValue) + ': enough evidence, no cap';
}

/** The result for a pair with too few intervals to score. */
export function notScoredResult(result: Omit<ScoreResult, 'explanation' | 'notScored'>, signals: SignalContribution[]): ScoreResult {
  return {
    ...result,
    explanation: { signals, summary: `not scored: ${result.stats.count} interval(s), at least 3 are needed` },
    notScored: 'too_few_samples',
  };
}

// "0.000".."1.000" and "0.00".."1.00": the summary is built on every call, so it only concatenates
const DEC3: readonly string[] = Array.from({ length: 1001 }, (_, i) => (i / 1000).toFixed(3));
const DEC2: readonly string[] = Array.from({ length: 101 }, (_, i) => (i / 100).toFixed(2));

/** `x` in [0, 1] with 2 or 3 decimals (scale 100 or 1000), from the tables above. */
function fixed(x: number, scale: 100 | 1000): string {
  const v = Math.round((x < 0 ? 0 : x > 1 ? 1 : x) * scale);
  return (scale === 1000 ? DEC3[v] : DEC2[v]) ?? String(x);
}

function seconds(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x >= 1 ? fixed10(x) : x.toPrecision(2);
}

function fixed10(x: number): string {
  const v = Math.round(x * 10);
  return String((v - (v % 10)) / 10) + '.' + String(v % 10);
}

/** A p-value as `= 0.23` (from 0.01 up) or `< 1e-3` (the next power of ten above it), from cached strings. */
function pText(p: number): string {
  if (p >= 0.01) return '= ' + fixed(p, 100);
  const e = Math.floor(-Math.log10(p));
  return '< 1e-' + (e > 300 ? 300 : e);
}
