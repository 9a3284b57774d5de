import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public surface', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'BeaconError',
        'BOUNDED_ALERT_LOG10',
        'BOUNDED_FULL_LOG10',
        'BOUNDED_MAX',
        'BOUNDS',
        'CV_MIDPOINT',
        'EVIDENCE_ALERT_LOG10',
        'EVIDENCE_FULL_LOG10',
        'Q_BEYOND',
        'Q_OFF_LATTICE',
        'Q_OUTSIDE_BOUNDS',
        'boundedSleepValue',
        'evidenceCap',
        'errorGuard',
        'DEFAULT_WEIGHTS',
        'JITTER_MIDPOINT',
        'MAD_TO_SD',
        'MIN_INTERVALS',
        'PERIODICITY_FLOOR',
        'PERIODICITY_FULL',
        'SIZE_MIDPOINT',
        'ScoringError',
        'cvScore',
        'cvScoreOf',
        'describeEvidence',
        'fitEventTrain',
        'isScoringError',
        'jitterScore',
        'jitterScoreOf',
        'normalizeWeights',
        'periodicityScore',
        'periodicityScoreOf',
        'robustCv',
        'rocAuc',
        'scorePair',
        'severityOf',
        'sizeScore',
        'sizeScoreOf',
      ].sort(),
    );
    expect(Object.isFrozen(api.DEFAULT_WEIGHTS)).toBe(true);
    expect(api.DEFAULT_WEIGHTS).toEqual({ cv: 0.35, periodicity: 0.35, jitter: 0.15, size: 0.15 });
  });
});
