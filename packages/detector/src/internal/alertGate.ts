import type { Severity } from '@beacon/scoring';
import type { AlertDecision } from '../detection.js';
import type { PairState } from './pairState.js';

const RANK: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/**
 * The original's re-alert rule: never for benign pairs; not within `cooldown` seconds of the
 * pair's last alert; then only when the pair is new, its score rose by more than 0.1, or its
 * severity went up.
 */
export function decideAlert(score: number, severity: Severity, prev: PairState, now: number, cooldown: number): AlertDecision {
  if (prev.benign !== null) return 'benign';
  if (prev.cdRank < 0) return 'new';
  if (now - prev.cdAt < cooldown) return 'cooldown';
  if (score > prev.cdScore + 0.1) return 'score_rise';
  if (RANK[severity] > prev.cdRank) return 'severity_up';
  return 'no_change';
}
