import type { ConnectionEvent } from '@beacon/detector';
import { splitTime } from '@beacon/detector';
import { createRng, generateBeacon, generateBenign, type C2ProfileName, type PairLabel } from '@beacon/synth';

/** One simulated (source, destination) pair with its ground truth. */
export interface SimPair {
  srcIp: string;
  dstIp: string;
  dstPort: number;
  protocol: number;
  label: PairLabel;
  profile: string;
  /** Offsets from the start of the simulation, seconds, ascending. */
  offsets: Float64Array;
  sizes: Float64Array;
}

/** A beacon to plant. */
export interface PlantedBeacon {
  profile: C2ProfileName;
  srcIp: string;
  dstIp: string;
  dstPort: number;
  protocol: number;
  /** Override the profile's sleep, seconds. */
  periodSeconds?: number;
  /** Override the profile's jitter fraction. */
  jitter?: number;
}

/** What to simulate. */
export interface ScenarioOptions {
  /** Simulated seconds of traffic. @default 7200 */
  durationSeconds?: number;
  /** Beacons to plant. @default {@link DEFAULT_BEACONS} */
  beacons?: readonly PlantedBeacon[];
  /** Benign client pairs (Poisson requests, browsing sessions, bursty clients). @default 20 */
  noisePairs?: number;
  /** Add an NTP client (periodic, benign by baseline). @default true */
  ntp?: boolean;
  /** @default 1 */
  seed?: number;
}

/** The beacons the simulator plants unless told otherwise (addresses from documentation ranges). */
export const DEFAULT_BEACONS: readonly PlantedBeacon[] = [
  { profile: 'cobalt-strike', srcIp: '10.0.0.100', dstIp: '203.0.113.50', dstPort: 443, protocol: 6, periodSeconds: 60, jitter: 0.2 },
  { profile: 'sliver', srcIp: '10.0.0.101', dstIp: '198.51.100.25', dstPort: 8080, protocol: 6 },
  { profile: 'mythic', srcIp: '10.0.0.102', dstIp: '192.0.2.100', dstPort: 53, protocol: 17, periodSeconds: 30 },
];

const NOISE_PROCESSES = ['poisson', 'browsing', 'bursty-client'] as const;

function clip(offsets: Float64Array, sizes: Float64Array, duration: number): { offsets: Float64Array; sizes: Float64Array } {
  let n = 0;
  while (n < offsets.length && (offsets[n] as number) <= duration) n++;
  return { offsets: offsets.slice(0, n), sizes: sizes.slice(0, n) };
}

/** Builds the labelled pairs of a simulation, deterministic for a seed. */
export function buildScenario(options: ScenarioOptions = {}): SimPair[] {
  const { durationSeconds = 7200, beacons = DEFAULT_BEACONS, noisePairs = 20, ntp = true, seed = 1 } = options;
  const rng = createRng(seed * 7919 + 17);
  const pairs: SimPair[] = [];
  beacons.forEach((b, i) => {
    const opts: Parameters<typeof generateBeacon>[1] = { seed: seed * 1000 + i, startTime: rng.uniform(0, 30), beats: 100_000 };
    if (b.periodSeconds !== undefined) opts.periodSeconds = b.periodSeconds;
    if (b.jitter !== undefined) opts.jitter = b.jitter;
    const period = b.periodSeconds ?? 60;
    opts.beats = Math.max(3, Math.ceil(durationSeconds / (period * 0.5)) + 2);
    const g = generateBeacon(b.profile, opts);
    pairs.push({ srcIp: b.srcIp, dstIp: b.dstIp, dstPort: b.dstPort, protocol: b.protocol, label: 'c2', profile: b.profile, ...clip(g.timestamps, g.sizes, durationSeconds) });
  });
  for (let i = 0; i < noisePairs; i++) {
    const process = NOISE_PROCESSES[i % NOISE_PROCESSES.length] ?? 'poisson';
    const mean = rng.uniform(20, 240);
    const g = generateBenign(process, { seed: seed * 5000 + i, startTime: rng.uniform(0, 120), meanIntervalSeconds: mean, events: Math.ceil((durationSeconds / mean) * 3) + 10 });
    const dstPort = rng.chance(0.8) ? 443 : 80;
    pairs.push({
      srcIp: `10.0.1.${10 + (i % 200)}`,
      dstIp: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      dstPort,
      protocol: 6,
      label: 'benign',
      profile: process,
      ...clip(g.timestamps, g.sizes, durationSeconds),
    });
  }
  if (ntp) {
    const g = generateBenign('ntp', { seed, startTime: 5, meanIntervalSeconds: 64, events: Math.ceil(durationSeconds / 64) + 2 });
    pairs.push({ srcIp: '10.0.0.1', dstIp: '192.0.2.123', dstPort: 123, protocol: 17, label: 'benign-periodic', profile: 'ntp', ...clip(g.timestamps, g.sizes, durationSeconds) });
  }
  return pairs;
}

/** One event on the merged timeline: which pair, which of its events, and when (offset in seconds). */
export interface TimelineEntry {
  pair: number;
  index: number;
  offset: number;
}

/** Merges every pair's events into one timeline sorted by time. */
export function timeline(pairs: readonly SimPair[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  pairs.forEach((p, pair) => p.offsets.forEach((offset, index) => out.push({ pair, index, offset })));
  return out.sort((a, b) => a.offset - b.offset);
}

/** The connection event of one timeline entry. */
export function toEvent(pairs: readonly SimPair[], entry: TimelineEntry, startSeconds: number, node: string): ConnectionEvent {
  const p = pairs[entry.pair] as SimPair;
  return {
    ...splitTime(startSeconds + entry.offset),
    srcIp: p.srcIp,
    dstIp: p.dstIp,
    srcPort: 32768 + ((entry.pair * 7919 + entry.index * 104729) % 28000),
    dstPort: p.dstPort,
    protocol: p.protocol,
    direction: 'egress',
    bytes: Math.max(0, Math.round(p.sizes[entry.index] ?? 0)),
    packets: 1,
    tcpFlags: p.protocol === 6 ? 0x02 : 0,
    kind: 'flow_start',
    node,
  };
}
