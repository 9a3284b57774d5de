import type { BenignPeriodicName, BenignProcessName } from './benignProfiles.js';
import { BENIGN_PERIODIC_PROFILES } from './benignProfiles.js';
import { SynthError } from './errors.js';
import { checkInt, checkRange } from './internal/check.js';
import { buildPair } from './internal/pair.js';
import { createRng, type Rng } from './rng.js';
import type { SyntheticPair } from './types.js';

/** Options of {@link generateBenign}. */
export interface BenignOptions {
  /** Seed of the pseudo-random sequence. @default 1 */
  seed?: number;
  /** Number of events. @default 50 */
  events?: number;
  /** Mean interval in seconds for `poisson`; the period for periodic services. @default 60 for poisson, the profile's period otherwise */
  meanIntervalSeconds?: number;
  /** Log-space sigma of payload sizes for `poisson` (small = near-constant sizes, like an API client). @default 0.8 */
  sizeSigma?: number;
  /** Time of the first event, seconds. @default 1_700_000_000 */
  startTime?: number;
  /** Pair id. @default `<process>#<seed>` */
  id?: string;
}

type Ev = { t: number; size: number };

/**
 * Generates one benign pair: `poisson` (independent requests at a mean rate), `browsing` (human
 * sessions: page loads of several requests, reading pauses, long breaks), `bursty-client`
 * (on/off: rapid bursts, heavy-tailed silences), all labelled `benign`; or a periodic service
 * `ntp`, `antivirus`, `telemetry`, labelled `benign-periodic`. Deterministic for a given seed.
 * @throws {@link SynthError} for an unknown process or an option out of range.
 * @example
 * const pair = generateBenign('poisson', { seed: 3, events: 40, meanIntervalSeconds: 45 });
 */
export function generateBenign(process: BenignProcessName | BenignPeriodicName, options: BenignOptions = {}): SyntheticPair {
  const { seed = 1, events = 50, sizeSigma = 0.8, startTime = 1_700_000_000, id = `${process}#${seed}` } = options;
  checkInt('events', events, 2, 10_000_000);
  checkRange('sizeSigma', sizeSigma, 0, 5);
  const rng = createRng(seed);
  const ev: Ev[] = [];
  const periodic = BENIGN_PERIODIC_PROFILES[process as BenignPeriodicName];
  if (periodic !== undefined) {
    const period = options.meanIntervalSeconds ?? periodic.periodSeconds;
    checkRange('meanIntervalSeconds', period, 1e-6, 1e9);
    let t = startTime;
    for (let i = 0; i < events; i++) {
      ev.push({ t, size: Math.round(rng.logNormal(periodic.bytes.median, periodic.bytes.sigma)) });
      t += period * (1 + periodic.jitter * (2 * rng.next() - 1));
    }
    return buildPair(id, 'benign-periodic', process, ev, { periodSeconds: period, jitter: periodic.jitter, missedFraction: 0, taskingBursts: 0, seed });
  }
  const mean = options.meanIntervalSeconds ?? 60;
  checkRange('meanIntervalSeconds', mean, 1e-6, 1e9);
  if (process === 'poisson') poisson(rng, ev, events, startTime, mean, sizeSigma);
  else if (process === 'browsing') browsing(rng, ev, events, startTime);
  else if (process === 'bursty-client') bursty(rng, ev, events, startTime);
  else throw new SynthError('UNKNOWN_PROFILE', `unknown benign process ${JSON.stringify(process)}`);
  return buildPair(id, 'benign', process, ev, { periodSeconds: mean, jitter: 0, missedFraction: 0, taskingBursts: 0, seed });
}

function poisson(rng: Rng, ev: Ev[], n: number, t0: number, mean: number, sigma: number): void {
  let t = t0;
  for (let i = 0; i < n; i++) {
    ev.push({ t, size: Math.round(rng.logNormal(400, sigma)) });
    t += rng.exponential(mean);
  }
}

/** Sessions of page loads (3-15 requests within a second or two), reading pauses, long breaks. */
function browsing(rng: Rng, ev: Ev[], n: number, t0: number): void {
  let t = t0;
  while (ev.length < n) {
    const pages = 1 + Math.floor(rng.exponential(8));
    for (let p = 0; p < pages && ev.length < n; p++) {
      const requests = rng.int(3, 15);
      let dt = 0;
      for (let r = 0; r < requests && ev.length < n; r++) {
        ev.push({ t: t + dt, size: Math.round(rng.logNormal(2_000, 1.5)) });
        dt += rng.exponential(0.3);
      }
      t += dt + rng.logNormal(20, 1.2);
    }
    t += rng.exponential(1_800);
  }
}

/** On/off client: bursts of rapid requests, silences with a Pareto (alpha 1.2) tail. */
function bursty(rng: Rng, ev: Ev[], n: number, t0: number): void {
  let t = t0;
  while (ev.length < n) {
    const burst = 1 + Math.floor(rng.exponential(10));
    const rate = rng.uniform(0.3, 3);
    for (let i = 0; i < burst && ev.length < n; i++) {
      ev.push({ t, size: Math.round(rng.logNormal(800, 1)) });
      t += rng.exponential(rate);
    }
    t += 30 * Math.pow(1 - rng.next(), -1 / 1.2);
  }
}
