import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public surface', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CV_MIDPOINT',
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
