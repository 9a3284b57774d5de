// Detector state for the store's tests and benchmark: seeded, so every run sees the same data.
import { createDetector, type ConnectionEvent, type Detector, type DetectorState, type PairSnapshot, type StateDelta } from '@beacon/detector';

export const T0 = 1_700_000_000;

/** `count` flow starts every `period` s (+-5 % jitter) from `src` to `dst`. */
export function beaconEvents(src: string, dst: string, period: number, count: number, start: number = T0): ConnectionEvent[] {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: count }, (_, i) => {
    const t = start + i * period + (rand() - 0.5) * 0.1 * period;
    const tsSec = Math.floor(t);
    return {
      tsSec,
      tsNsec: Math.round((t - tsSec) * 1e9) % 1e9,
      srcIp: src,
      dstIp: dst,
      srcPort: 50_000 + (i % 1000),
      dstPort: 443,
      protocol: 6,
      direction: 'egress',
      bytes: 300 + (i % 3),
      packets: 3,
      tcpFlags: 2,
      kind: 'flow_start',
      node: 'test',
    };
  });
}

/** A detector holding one beacon (alerted, so it has a cooldown) and `extra` quiet pairs. */
export function detectorWithBeacon(extra = 5): Detector {
  const d = createDetector({ now: () => T0 + 40 * 60 });
  d.ingestBatch(beaconEvents('10.0.0.5', '203.0.113.9', 60, 35));
  for (let i = 0; i < extra; i++) d.ingestBatch(beaconEvents(`10.0.1.${i + 1}`, '198.51.100.7', 37, 3));
  d.analyze();
  return d;
}

/** The delta that writes a whole state into an empty store. */
export function fullDelta(s: DetectorState): StateDelta {
  return {
    exportedAt: s.exportedAt,
    pairs: s.pairs,
    removedPairs: [],
    beacons: s.beacons,
    removedBeacons: [],
    cooldowns: s.cooldowns,
    removedCooldowns: [],
    counters: s.counters,
  };
}

/** An empty delta at `exportedAt`. */
export function emptyDelta(exportedAt: number = T0): StateDelta {
  return { exportedAt, pairs: [], removedPairs: [], beacons: [], removedBeacons: [], cooldowns: [], removedCooldowns: [], counters: {} };
}

/** A pair as plain JSON: its times and sizes as arrays, no typed `history`. */
export function plainPair(p: PairSnapshot): PairSnapshot {
  const { srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, times, sizes } = p;
  const out: PairSnapshot = { srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, times, sizes };
  if (p.serverName !== undefined) out.serverName = p.serverName;
  if (p.dstIps !== undefined) out.dstIps = [...p.dstIps];
  if (p.failed !== undefined) out.failed = p.failed;
  return out;
}

/**
 * A detector holding a beacon to one server name rotating over `ips` (a name-keyed pair listing
 * them), and one more name seen on a single address only.
 */
export function detectorWithNamedBeacon(ips: readonly string[], name = 'c2.example.net'): Detector {
  const d = createDetector({ now: () => T0 + 60 * 60 });
  const events: ConnectionEvent[] = [];
  for (const [i, e] of beaconEvents('10.0.0.5', ips[0] as string, 60, 60).entries()) events.push({ ...e, dstIp: ips[i % ips.length] as string, serverName: name });
  d.ingestBatch(events);
  d.ingestBatch(beaconEvents('10.0.0.6', '203.0.113.1', 60, 3).map((e) => ({ ...e, serverName: 'solo.example.org' })));
  d.analyze();
  return d;
}

/** Sorts a state's lists by key, for comparisons that ignore row order; pairs as plain JSON. */
export function sorted(s: DetectorState): DetectorState {
  const key = (p: { srcIp: string; dstIp: string; dstPort: number }): string => `${p.srcIp}|${p.dstIp}|${p.dstPort}`;
  return {
    ...s,
    pairs: s.pairs.map(plainPair).sort((a, b) => key(a).localeCompare(key(b))),
    beacons: [...s.beacons].sort((a, b) => a.pairKey.localeCompare(b.pairKey)),
    cooldowns: [...s.cooldowns].sort((a, b) => a.pairKey.localeCompare(b.pairKey)),
  };
}
