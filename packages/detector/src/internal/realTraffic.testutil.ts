// Sensor events for the traffic of issue-style field cases, built from @beacon/synth pairs:
// Caldera-style bounded sleep on separate connections or inside one keep-alive connection, and
// reconnect loops of failed attempts as Zeek rows (REJ, S0) or as a probe/pcap sees them.
import { C2_PROFILES, generateBeacon, sleepRatioJitter } from '@beacon/synth';
import { createDetector } from '../detector.js';
import type { Detection } from '../detection.js';
import type { ConnectionEvent } from '../event.js';

const T0 = 1_700_000_000;

function at(t: number, over: Partial<ConnectionEvent>): ConnectionEvent {
  const tsSec = Math.floor(t);
  return {
    tsSec,
    tsNsec: Math.min(999_999_000, Math.round((t - tsSec) * 1e6) * 1000),
    srcIp: '10.0.0.5',
    dstIp: '203.0.113.9',
    srcPort: 40_000,
    dstPort: 443,
    protocol: 6,
    direction: 'egress',
    bytes: 0,
    packets: 1,
    tcpFlags: 0x1b,
    kind: 'flow_start',
    node: 'test',
    ...over,
  };
}

/** How the callbacks of a bounded-sleep pair reach the detector. */
export type Carriage = 'separate' | 'keep-alive';

/**
 * A Caldera-style pair: `callbacks` sleeps uniform in [30 / k, 30] s (all inside the default
 * one-hour window), each a whole connection (a Zeek row) or, inside one keep-alive connection,
 * a flow start then one burst per later callback.
 */
export function calderaEvents(k: number, carriage: Carriage, callbacks: number, seed: number, dstIp: string): ConnectionEvent[] {
  const profile = carriage === 'keep-alive' ? 'caldera-keepalive' : 'caldera';
  if ((C2_PROFILES[profile].connection ?? 'separate') !== carriage) throw new Error(`profile ${profile} is not ${carriage}`);
  const p = generateBeacon(profile, { seed, beats: callbacks, jitter: sleepRatioJitter(k), periodSeconds: 30, startTime: T0 });
  const out: ConnectionEvent[] = [];
  for (let i = 0; i < p.timestamps.length; i++) {
    const t = p.timestamps[i]!;
    const bytes = Math.round(p.sizes[i]!);
    if (carriage === 'separate') out.push(at(t, { dstIp, srcPort: 40_000 + (i % 20_000), bytes, durationSec: 0.4 }));
    else out.push(at(t, { dstIp, srcPort: 41_000, bytes, kind: i === 0 ? 'flow_start' : 'burst' }));
  }
  return out;
}

/** How a failed attempt reaches the detector. */
export type FailedStyle = 'zeek-REJ' | 'zeek-S0' | 'probe-RST' | 'probe-unanswered';

/** Styles of failed attempts, in report order. */
export const FAILED_STYLES: readonly FailedStyle[] = ['zeek-REJ', 'zeek-S0', 'probe-RST', 'probe-unanswered'];

/**
 * A reconnect loop (the synth njrat profile's timing with another period): `attempts` failed
 * attempts every `period` s with symmetric jitter `jitter` (Remcos 0.4-1.2 s is 0.8 s, 0.5).
 * Zeek rows carry `connState`; a probe or pcap reader delivers a SYN flow start and, when the
 * attempt is given up, a flow end with RST (refused) or with the SYN alone (unanswered).
 */
export function reconnectEvents(period: number, jitter: number, attempts: number, style: FailedStyle, seed: number, dstIp: string): ConnectionEvent[] {
  const p = generateBeacon('njrat', { seed, beats: attempts, jitter, periodSeconds: period, startTime: T0 });
  const out: ConnectionEvent[] = [];
  for (let i = 0; i < p.timestamps.length; i++) {
    const t = p.timestamps[i]!;
    const srcPort = 40_000 + (i % 20_000);
    if (style === 'zeek-REJ') out.push(at(t, { dstIp, srcPort, dstPort: 1177, tcpFlags: 0x16, durationSec: 0.0004, connState: 'REJ' }));
    else if (style === 'zeek-S0') out.push(at(t, { dstIp, srcPort, dstPort: 1177, tcpFlags: 0x02, durationSec: 0, connState: 'S0' }));
    else {
      out.push(at(t, { dstIp, srcPort, dstPort: 1177, tcpFlags: 0x02 }));
      const end = style === 'probe-RST' ? 0.0004 : Math.min(0.05, period / 3);
      out.push(at(t + end, { dstIp, srcPort, dstPort: 1177, kind: 'flow_end', tcpFlags: style === 'probe-RST' ? 0x16 : 0x02, durationSec: end }));
    }
  }
  return out.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
}

/** Every pair's detection after one analysis of `events` with the default configuration. */
export function detectAll(events: ConnectionEvent[]): Map<string, Detection> {
  let last = 0;
  for (const e of events) if (e.tsSec > last) last = e.tsSec;
  const d = createDetector({ now: () => last + 1 });
  const out = new Map<string, Detection>();
  d.on('scored', (x) => out.set(x.dstIp, x));
  const r = d.ingestBatch(events.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec));
  if (r.rejected > 0) throw new Error(`${r.rejected} events rejected`);
  d.analyze();
  return out;
}
