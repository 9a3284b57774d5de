import type { BenignPeriodicName, BenignProcessName } from './benignProfiles.js';
import { BENIGN_PERIODIC_NAMES, BENIGN_PROCESS_NAMES } from './benignProfiles.js';
import type { C2Profile, C2ProfileName } from './c2Profiles.js';
import { C2_PROFILE_NAMES, C2_PROFILES } from './c2Profiles.js';
import { generateBeacon } from './generateBeacon.js';
import { generateBenign } from './generateBenign.js';
import { checkInt, checkRange } from './internal/check.js';
import { createRng } from './rng.js';
import type { SyntheticPair } from './types.js';

/** Options of {@link generateDataset}. */
export interface DatasetOptions {
  /** Master seed; each pair gets its own derived seed. @default 1 */
  seed?: number;
  /** Pairs per C2 profile and per benign process. @default 100 */
  pairsPerProfile?: number;
  /** Events per pair, drawn uniformly from [min, max] (scheduled beats for C2). @default [20, 100] */
  events?: readonly [number, number];
  /** Fraction of missed callbacks in every C2 pair. @default 0 */
  missedFraction?: number;
  /** Each C2 pair gets 0..taskingBursts tasking bursts. @default 0 */
  taskingBursts?: number;
  /** C2 profiles to include. @default all of {@link C2_PROFILE_NAMES} */
  c2Profiles?: readonly C2ProfileName[];
  /** Benign processes to include. @default all of {@link BENIGN_PROCESS_NAMES} */
  benignProcesses?: readonly BenignProcessName[];
  /** Benign periodic services to include. @default all of {@link BENIGN_PERIODIC_NAMES} */
  benignPeriodic?: readonly BenignPeriodicName[];
}

/** Mean interval of a profile's jittered sleep, seconds. */
export function meanSleep(p: C2Profile, jitter: number = p.jitter): number {
  if (p.jitterKind === 'one-sided') return p.periodSeconds * (1 - jitter / 2);
  if (p.jitterKind === 'additive') return p.periodSeconds * (1 + jitter / 2);
  return p.periodSeconds;
}

/**
 * Produces a labelled, reproducible set of pairs for a quality report: for every C2 profile,
 * `pairsPerProfile` beacons with jitter drawn uniformly from the profile's `jitterRange`;
 * the same number of pairs of each benign process (Poisson pairs use the C2 profiles' mean
 * intervals in turn, half of them with near-constant payload sizes so size cannot give them
 * away); and the same number of each benign periodic service.
 * @example
 * const pairs = generateDataset({ seed: 1, pairsPerProfile: 50, missedFraction: 0.25 });
 * pairs.filter((p) => p.label === 'c2').length; // 8 profiles x 50
 */
export function generateDataset(options: DatasetOptions = {}): SyntheticPair[] {
  const {
    seed = 1,
    pairsPerProfile = 100,
    events = [20, 100],
    missedFraction = 0,
    taskingBursts = 0,
    c2Profiles = C2_PROFILE_NAMES,
    benignProcesses = BENIGN_PROCESS_NAMES,
    benignPeriodic = BENIGN_PERIODIC_NAMES,
  } = options;
  checkInt('pairsPerProfile', pairsPerProfile, 0, 1_000_000);
  checkInt('events[0]', events[0], 2, 10_000_000);
  checkInt('events[1]', events[1], events[0], 10_000_000);
  checkRange('missedFraction', missedFraction, 0, 0.95);
  checkInt('taskingBursts', taskingBursts, 0, 1_000);
  const rng = createRng(seed);
  const nextSeed = (): number => rng.int(0, 0x7fffffff);
  const count = (): number => rng.int(events[0], events[1]);
  const out: SyntheticPair[] = [];
  for (const name of c2Profiles) {
    const p = C2_PROFILES[name];
    for (let i = 0; i < pairsPerProfile; i++) {
      const s = nextSeed();
      const jitter = rng.uniform(p.jitterRange[0], p.jitterRange[1]);
      // scheduled beats so that about `events` callbacks survive the missed fraction
      const beats = Math.max(2, Math.round(count() / (1 - missedFraction)));
      out.push(generateBeacon(p, { seed: s, beats, jitter, missedFraction, taskingBursts: rng.int(0, taskingBursts), id: `${name}#${i}` }));
    }
  }
  for (const name of benignProcesses) {
    for (let i = 0; i < pairsPerProfile; i++) {
      const p = C2_PROFILES[c2Profiles[i % Math.max(1, c2Profiles.length)] ?? 'cobalt-strike'];
      const meanIntervalSeconds = meanSleep(p, rng.uniform(p.jitterRange[0], p.jitterRange[1]));
      out.push(generateBenign(name, { seed: nextSeed(), events: count(), meanIntervalSeconds, sizeSigma: i % 2 === 0 ? 0.05 : 0.8, id: `${name}#${i}` }));
    }
  }
  for (const name of benignPeriodic) {
    for (let i = 0; i < pairsPerProfile; i++) out.push(generateBenign(name, { seed: nextSeed(), events: count(), id: `${name}#${i}` }));
  }
  return out;
}
