import type { C2Profile, C2ProfileName, JitterKind } from './c2Profiles.js';
import { C2_PROFILES } from './c2Profiles.js';
import { SynthError } from './errors.js';
import { checkInt, checkRange } from './internal/check.js';
import { buildPair } from './internal/pair.js';
import { createRng, type Rng } from './rng.js';
import type { SyntheticPair } from './types.js';

/** Options of {@link generateBeacon}. */
export interface BeaconOptions {
  /** Seed of the pseudo-random sequence. @default 1 */
  seed?: number;
  /** Number of scheduled callbacks (before missed beats are dropped). @default 50 */
  beats?: number;
  /** Jitter fraction (see {@link JitterKind}). @default the profile's `jitter` */
  jitter?: number;
  /** Override the profile's sleep in seconds (for time-scale experiments). @default the profile's */
  periodSeconds?: number;
  /** Probability that each callback after the first is missed (host asleep, dropped callback). @default 0 */
  missedFraction?: number;
  /** Number of tasking bursts: after a random callback, 2-5 extra events within 15 % of a period. @default 0 */
  taskingBursts?: number;
  /** Time of the first callback, seconds. @default 1_700_000_000 */
  startTime?: number;
  /** Pair id. @default `<profile>#<seed>` */
  id?: string;
}

/** The sleep before the next callback. */
export function jitteredSleep(rng: Rng, kind: JitterKind, period: number, jitter: number): number {
  const u = rng.next();
  if (kind === 'one-sided') return period * (1 - jitter * u);
  if (kind === 'additive') return period + jitter * period * u;
  return period * (1 + jitter * (2 * u - 1));
}

/**
 * Generates one labelled C2 beacon pair (label `c2`) from a built-in profile name or a custom
 * {@link C2Profile}. Deterministic for a given seed. The events are the callbacks' times
 * whatever the profile's `connection`: a consumer that builds sensor events from them opens one
 * flow per callback (`separate`) or one flow with a burst per callback (`keep-alive`).
 * @throws {@link SynthError} for an unknown profile or an option out of range.
 * @example
 * const pair = generateBeacon('cobalt-strike', { seed: 7, beats: 40, jitter: 0.5, missedFraction: 0.1 });
 * pair.intervals; // Float64Array of 39 - missed intervals, seconds
 */
export function generateBeacon(profile: C2ProfileName | C2Profile, options: BeaconOptions = {}): SyntheticPair {
  const p = typeof profile === 'string' ? C2_PROFILES[profile] : profile;
  if (p === undefined) throw new SynthError('UNKNOWN_PROFILE', `unknown C2 profile ${JSON.stringify(profile)}`);
  const {
    seed = 1,
    beats = 50,
    jitter = p.jitter,
    periodSeconds = p.periodSeconds,
    missedFraction = 0,
    taskingBursts = 0,
    startTime = 1_700_000_000,
    id = `${p.name}#${seed}`,
  } = options;
  checkInt('beats', beats, 2, 10_000_000);
  checkRange('jitter', jitter, 0, 0.99);
  checkRange('periodSeconds', periodSeconds, 1e-6, 1e9);
  checkRange('missedFraction', missedFraction, 0, 0.95);
  checkInt('taskingBursts', taskingBursts, 0, beats);
  const rng = createRng(seed);
  const events: Array<{ t: number; size: number }> = [];
  const heartbeat = (): number => Math.max(0, Math.round(p.heartbeatBytes.base * (1 + p.heartbeatBytes.spread * (2 * rng.next() - 1))));
  let t = startTime;
  const kept: number[] = [];
  for (let b = 0; b < beats; b++) {
    if (b === 0 || !rng.chance(missedFraction)) {
      events.push({ t, size: heartbeat() });
      kept.push(t);
    }
    t += jitteredSleep(rng, p.jitterKind, periodSeconds, jitter);
  }
  for (let k = 0; k < taskingBursts; k++) {
    const base = kept[rng.int(0, kept.length - 1)]!;
    const extra = rng.int(2, 5);
    let dt = 0;
    for (let e = 0; e < extra; e++) {
      dt += rng.uniform(0.005, 0.03) * periodSeconds;
      events.push({ t: base + dt, size: Math.round(rng.uniform(p.taskingBytes.min, p.taskingBytes.max)) });
    }
  }
  return buildPair(id, 'c2', p.name, events, { periodSeconds, jitter, missedFraction, taskingBursts, seed });
}
