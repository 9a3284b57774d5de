import { C2_PROFILE_NAMES, generateDataset, type SyntheticPair } from '@beacon/synth';
import { scorePair } from '../../scorePair.js';
import { originalScore } from './originalScore.js';
import { rocAuc } from '../../rocAuc.js';

/** Detection threshold of the report (the original's alert_threshold). */
export const ALERT_THRESHOLD = 0.7;

/** One C2 scenario of the report. */
export interface Scenario {
  name: string;
  missedFraction: number;
  taskingBursts: number;
}

/** The scenarios the report runs for every C2 profile. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'jitter 0-50 %', missedFraction: 0, taskingBursts: 0 },
  { name: '+ tasking bursts', missedFraction: 0, taskingBursts: 3 },
  { name: '25 % beats missed', missedFraction: 0.25, taskingBursts: 0 },
];

/** Rates for one profile (recall for C2, flagged rate for benign). */
export interface ProfileRow {
  scenario: string;
  profile: string;
  label: string;
  n: number;
  beacon: number;
  original: number;
}

/** The full report. */
export interface QualityReport {
  rows: ProfileRow[];
  fpr: { beacon: number; original: number; n: number };
  auc: { beacon: number; original: number };
  /** Highest score of any benign pair (the margin below the 0.7 threshold). */
  benignMax: { beacon: number; original: number };
  /** Lowest score of any C2 pair across scenarios. */
  c2Min: { beacon: number; original: number };
  seconds: number;
}

/** Options of {@link evaluateQuality}. */
export interface QualityOptions {
  /** @default 1 */
  seed?: number;
  /** @default 200 */
  pairsPerProfile?: number;
}

/** Scores a labelled synthetic dataset with Beacon's scorePair and the original's formula. */
export function evaluateQuality(options: QualityOptions = {}): QualityReport {
  const { seed = 1, pairsPerProfile = 200 } = options;
  const t0 = performance.now();
  const rows: ProfileRow[] = [];
  const pos = { beacon: [] as number[], original: [] as number[] };
  const neg = { beacon: [] as number[], original: [] as number[] };
  const flagged = (ps: SyntheticPair[], who: 'beacon' | 'original', sink?: number[]): number => {
    let hit = 0;
    for (const p of ps) {
      const s = who === 'beacon' ? scorePair(p.intervals, p.sizes).score : originalScore(p.intervals, p.sizes).score;
      sink?.push(s);
      if (s >= ALERT_THRESHOLD) hit++;
    }
    return ps.length === 0 ? Number.NaN : hit / ps.length;
  };
  SCENARIOS.forEach((sc, k) => {
    const pairs = generateDataset({
      seed: seed * 1000 + k,
      pairsPerProfile,
      missedFraction: sc.missedFraction,
      taskingBursts: sc.taskingBursts,
      benignProcesses: [],
      benignPeriodic: [],
    });
    for (const profile of C2_PROFILE_NAMES) {
      const ps = pairs.filter((p) => p.profile === profile);
      rows.push({ scenario: sc.name, profile, label: 'c2', n: ps.length, beacon: flagged(ps, 'beacon', pos.beacon), original: flagged(ps, 'original', pos.original) });
    }
  });
  const benign = generateDataset({ seed: seed * 1000 + 99, pairsPerProfile: pairsPerProfile * 2, c2Profiles: [...C2_PROFILE_NAMES] }).filter((p) => p.label !== 'c2');
  const groups = new Map<string, SyntheticPair[]>();
  for (const p of benign) groups.set(p.profile, [...(groups.get(p.profile) ?? []), p]);
  let benignN = 0;
  let fpB = 0;
  let fpO = 0;
  for (const [profile, ps] of groups) {
    const label = ps[0]!.label;
    const isBenign = label === 'benign';
    const b = flagged(ps, 'beacon', isBenign ? neg.beacon : undefined);
    const o = flagged(ps, 'original', isBenign ? neg.original : undefined);
    rows.push({ scenario: label, profile, label, n: ps.length, beacon: b, original: o });
    if (isBenign) {
      benignN += ps.length;
      fpB += b * ps.length;
      fpO += o * ps.length;
    }
  }
  return {
    rows,
    fpr: { beacon: fpB / benignN, original: fpO / benignN, n: benignN },
    auc: { beacon: rocAuc(pos.beacon, neg.beacon) ?? Number.NaN, original: rocAuc(pos.original, neg.original) ?? Number.NaN },
    benignMax: { beacon: Math.max(...neg.beacon), original: Math.max(...neg.original) },
    c2Min: { beacon: Math.min(...pos.beacon), original: Math.min(...pos.original) },
    seconds: (performance.now() - t0) / 1000,
  };
}
