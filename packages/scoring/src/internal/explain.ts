import { PERIODICITY_FLOOR } from '../signals/periodicityScore.js';
import type { EventTrainFit } from '../signals/eventTrain.js';
import type { ScoreResult, SignalContribution } from '../types.js';

/** One sentence on what drove the score. */
export function summarize(score: number, severity: string, signals: SignalContribution[], fit: EventTrainFit, sizesAbsent: boolean): string {
  let top: SignalContribution | undefined;
  let low: SignalContribution | undefined;
  for (const s of signals) {
    if (s.weight === 0) continue;
    if (top === undefined || s.contribution > top.contribution) top = s;
    if (low === undefined || s.score < low.score) low = s;
  }
  let text = `score ${score.toFixed(3)} (${severity})`;
  text += fit.periodSeconds === null || fit.explainedFraction <= PERIODICITY_FLOOR ? ', no beat period found' : `, period ${fmt(fit.periodSeconds)} s`;
  if (top !== undefined) text += `; strongest signal ${top.name} (${top.score.toFixed(2)} x ${top.weight.toFixed(2)})`;
  if (low !== undefined && low !== top) text += `, weakest ${low.name} (${low.score.toFixed(2)})`;
  if (fit.missedBeats > 0) text += `; ${fit.missedBeats} missed beat(s) folded`;
  if (fit.short > 0) text += `; ${fit.short} burst interval(s) merged`;
  if (sizesAbsent) text += '; no payload sizes, size weight redistributed';
  return text;
}

/** The result for a pair with too few intervals to score. */
export function notScoredResult(result: Omit<ScoreResult, 'explanation' | 'notScored'>, signals: SignalContribution[]): ScoreResult {
  return {
    ...result,
    explanation: { signals, summary: `not scored: ${result.stats.count} interval(s), at least 3 are needed` },
    notScored: 'too_few_samples',
  };
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2);
}
