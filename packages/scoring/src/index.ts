export type {
  ComponentScores,
  IntervalStats,
  NotScoredReason,
  ScoreResult,
  Severity,
  SignalContribution,
  SignalName,
  Weights,
} from './types.js';
