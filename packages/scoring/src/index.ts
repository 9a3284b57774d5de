export { scorePair, MIN_INTERVALS } from './scorePair.js';
export { severityOf } from './severity.js';
export { describeEvidence } from './internal/explain.js';
export { rocAuc } from './rocAuc.js';
export { DEFAULT_WEIGHTS, normalizeWeights } from './weights.js';
export { BeaconError, errorGuard } from './beaconError.js';
export { ScoringError, isScoringError } from './errors.js';
export type { ScoringErrorCode } from './errors.js';
export { cvScore, cvScoreOf, CV_MIDPOINT } from './signals/cvScore.js';
export { periodicityScore, periodicityScoreOf, PERIODICITY_FLOOR, PERIODICITY_FULL } from './signals/periodicityScore.js';
export type { PeriodicityScore } from './signals/periodicityScore.js';
export { jitterScore, jitterScoreOf, JITTER_MIDPOINT } from './signals/jitterScore.js';
export { sizeScore, sizeScoreOf, SIZE_MIDPOINT } from './signals/sizeScore.js';
export { fitEventTrain } from './signals/eventTrain.js';
export type { EventTrainFit } from './signals/eventTrain.js';
export { robustCv, MAD_TO_SD } from './signals/robustCv.js';
export type { SignalScore } from './signals/signalScore.js';
export {
  evidenceCap,
  boundedSleepValue,
  EVIDENCE_ALERT_LOG10,
  EVIDENCE_FULL_LOG10,
  BOUNDED_ALERT_LOG10,
  BOUNDED_FULL_LOG10,
  BOUNDED_MAX,
  BOUNDS,
  Q_BEYOND,
  Q_OFF_LATTICE,
  Q_OUTSIDE_BOUNDS,
} from './signals/evidence.js';
export type { Samples } from './internal/validate.js';
export type {
  ComponentScores,
  EvidenceSummary,
  IntervalStats,
  NotScoredReason,
  ScoreResult,
  Severity,
  SignalContribution,
  SignalName,
  Weights,
} from './types.js';
