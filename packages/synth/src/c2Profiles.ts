import { SynthError } from './errors.js';

/**
 * How a C2 implant jitters its sleep `P` with jitter fraction `j` and U uniform on [0, 1):
 * `one-sided`: `P * (1 - j U)` (Cobalt Strike: jitter only shortens the sleep);
 * `additive`: `P + j P U` (Sliver: 60 s + up to 30 s is j = 0.5);
 * `symmetric`: `P * (1 + j (2U - 1))` (Mythic +-23 %, Havoc +-15 %, Empire).
 */
export type JitterKind = 'one-sided' | 'additive' | 'symmetric';

/** Names of the built-in C2 profiles. */
export type C2ProfileName =
  | 'cobalt-strike'
  | 'sliver'
  | 'mythic'
  | 'havoc'
  | 'empire'
  | 'njrat'
  | 'keepalive-c2'
  | 'slow-beacon'
  | 'caldera'
  | 'caldera-keepalive';

/**
 * How the callbacks travel: `separate`, a new connection for each; `keep-alive`, requests inside
 * one long connection (a sensor sees the connection open once, then one burst per request).
 */
export type ConnectionMode = 'separate' | 'keep-alive';

/** A C2 framework's default callback schedule and payload sizes. */
export interface C2Profile {
  name: C2ProfileName;
  /** Where the numbers come from. */
  description: string;
  /** Configured sleep in seconds. */
  periodSeconds: number;
  jitterKind: JitterKind;
  /** Default jitter fraction. */
  jitter: number;
  /** Range of jitter fractions {@link generateDataset} sweeps for this profile. */
  jitterRange: readonly [number, number];
  /** Heartbeat payload bytes: `base * (1 + spread (2U - 1))`, rounded; base 0 means empty payloads. */
  heartbeatBytes: { base: number; spread: number };
  /** Payload bytes of tasking traffic (uniform in [min, max]); 0..0 for payload-free loops. */
  taskingBytes: { min: number; max: number };
  /**
   * How the callbacks travel (see {@link ConnectionMode}): the callback times are the same
   * either way; the sensor events built from them differ. @default 'separate'
   */
  connection?: ConnectionMode;
}

/** The built-in C2 profiles (DESIGN.md section 2), keyed by name. */
export const C2_PROFILES: Readonly<Record<C2ProfileName, C2Profile>> = Object.freeze({
  'cobalt-strike': {
    name: 'cobalt-strike',
    description: 'Cobalt Strike HTTP beacon: sleep 60 s, jitter only shortens the sleep (interval uniform on [P(1-j), P])',
    periodSeconds: 60,
    jitterKind: 'one-sided',
    jitter: 0.5,
    jitterRange: [0, 0.5],
    heartbeatBytes: { base: 240, spread: 0.05 },
    taskingBytes: { min: 2_000, max: 60_000 },
  },
  sliver: {
    name: 'sliver',
    description: 'Sliver HTTP(S) beacon: 60 s plus up to 30 s added',
    periodSeconds: 60,
    jitterKind: 'additive',
    jitter: 0.5,
    jitterRange: [0.5, 0.5],
    heartbeatBytes: { base: 420, spread: 0.1 },
    taskingBytes: { min: 1_000, max: 40_000 },
  },
  mythic: {
    name: 'mythic',
    description: 'Mythic http profile: 10 s +-23 %',
    periodSeconds: 10,
    jitterKind: 'symmetric',
    jitter: 0.23,
    jitterRange: [0.23, 0.23],
    heartbeatBytes: { base: 350, spread: 0.08 },
    taskingBytes: { min: 1_000, max: 30_000 },
  },
  havoc: {
    name: 'havoc',
    description: 'Havoc demon: 2 s +-15 %',
    periodSeconds: 2,
    jitterKind: 'symmetric',
    jitter: 0.15,
    jitterRange: [0.15, 0.15],
    heartbeatBytes: { base: 180, spread: 0.05 },
    taskingBytes: { min: 500, max: 20_000 },
  },
  empire: {
    name: 'empire',
    description: 'Empire http listener: 5 s, symmetric jitter 0-50 %',
    periodSeconds: 5,
    jitterKind: 'symmetric',
    jitter: 0,
    jitterRange: [0, 0.5],
    heartbeatBytes: { base: 300, spread: 0.1 },
    taskingBytes: { min: 1_000, max: 30_000 },
  },
  njrat: {
    name: 'njrat',
    description: 'NjRAT/Remcos-style reconnect loop: a 0-byte connection attempt every ~5 s',
    periodSeconds: 5,
    jitterKind: 'symmetric',
    jitter: 0.1,
    jitterRange: [0, 0.2],
    heartbeatBytes: { base: 0, spread: 0 },
    taskingBytes: { min: 0, max: 0 },
  },
  'keepalive-c2': {
    name: 'keepalive-c2',
    description: 'Keep-alive C2 (Mythic/Caldera over HTTP): one long connection, a request burst every ~9 s',
    periodSeconds: 9,
    jitterKind: 'symmetric',
    jitter: 0.1,
    jitterRange: [0, 0.3],
    heartbeatBytes: { base: 510, spread: 0.05 },
    taskingBytes: { min: 1_000, max: 20_000 },
    connection: 'keep-alive',
  },
  'slow-beacon': {
    name: 'slow-beacon',
    description: 'A slow beacon: hourly callback, one-sided jitter 0-50 %',
    periodSeconds: 3_600,
    jitterKind: 'one-sided',
    jitter: 0.2,
    jitterRange: [0, 0.5],
    heartbeatBytes: { base: 260, spread: 0.05 },
    taskingBytes: { min: 2_000, max: 60_000 },
  },
  caldera: {
    name: 'caldera',
    description:
      'Caldera-style bounded sleep (sandcat sleep_min..sleep_max): each sleep uniform between a and k a, here a 60 s ceiling and jitter j = 1 - 1/k (k = 4: 15-60 s); a new connection per callback',
    periodSeconds: 60,
    jitterKind: 'one-sided',
    jitter: 0.75,
    jitterRange: [0.5, 0.875],
    heartbeatBytes: { base: 690, spread: 0.1 },
    taskingBytes: { min: 1_000, max: 40_000 },
  },
  'caldera-keepalive': {
    name: 'caldera-keepalive',
    description: 'The caldera profile with its callbacks as requests inside one keep-alive HTTP connection',
    periodSeconds: 60,
    jitterKind: 'one-sided',
    jitter: 0.75,
    jitterRange: [0.5, 0.875],
    heartbeatBytes: { base: 690, spread: 0.1 },
    taskingBytes: { min: 1_000, max: 40_000 },
    connection: 'keep-alive',
  },
} satisfies Record<C2ProfileName, C2Profile>);

/**
 * The profiles whose sleep is drawn between a floor and a ceiling (`sleep_min..sleep_max`) with
 * no single period: the bounded-sleep signal finds them, the periodicity signals do not.
 */
export const BOUNDED_SLEEP_PROFILE_NAMES: readonly C2ProfileName[] = Object.freeze(['caldera', 'caldera-keepalive'] as C2ProfileName[]);

/**
 * The one-sided jitter fraction that makes each sleep uniform in [a, k a] (a Caldera-style
 * `sleep_min..sleep_max` with `sleep_max = k sleep_min`): `1 - 1 / k`, with the profile's sleep as
 * `sleep_max`.
 * @example
 * generateBeacon('caldera', { jitter: sleepRatioJitter(8), periodSeconds: 64 }); // sleeps uniform in [8, 64] s
 */
export function sleepRatioJitter(k: number): number {
  if (!(k >= 1 && k < 100)) throw new SynthError('INVALID_OPTION', `sleep ratio k must be a number in [1, 100), got ${String(k)}`);
  return 1 - 1 / k;
}

/** Names of all built-in C2 profiles, in a stable order. */
export const C2_PROFILE_NAMES: readonly C2ProfileName[] = Object.freeze(Object.keys(C2_PROFILES) as C2ProfileName[]);
