// Synthetic traffic for tests and the benchmark: seeded, so every run sees the same events.
import { mulberry32 as rng } from '@beacon/synth';
import type { ConnectionEvent, EventKind } from '../event.js';

/** The fixtures' seeded generator (mulberry32 of `@beacon/synth`): the same sequence every run. */
export { rng };

/** One event at epoch seconds `t`. */
export function ev(t: number, over: Partial<ConnectionEvent> = {}): ConnectionEvent {
  const tsSec = Math.floor(t);
  return {
    tsSec,
    tsNsec: Math.min(999_999_999, Math.round((t - tsSec) * 1e9)),
    srcIp: '10.0.0.5',
    dstIp: '203.0.113.9',
    srcPort: 50_000,
    dstPort: 443,
    protocol: 6,
    direction: 'egress',
    bytes: 310,
    packets: 3,
    tcpFlags: 2,
    kind: 'flow_start',
    node: 'test',
    ...over,
  };
}

/** A beacon: `count` events every `period` s with uniform +-`jitter` fraction, sizes ~`size`. */
export function beacon(start: number, period: number, count: number, jitter: number, seed: number, over: Partial<ConnectionEvent> = {}, kind: EventKind = 'flow_start'): ConnectionEvent[] {
  const r = rng(seed);
  const out: ConnectionEvent[] = [];
  for (let i = 0; i < count; i++) {
    const t = start + i * period + (r() * 2 - 1) * jitter * period;
    out.push(ev(t, { bytes: 300 + Math.floor(r() * 20), srcPort: kind === 'burst' ? 40_000 : 40_000 + (i % 20_000), kind, ...over }));
  }
  return out;
}

/** Poisson noise: exponential gaps with mean `mean` s, sizes spread widely. */
export function poisson(start: number, mean: number, count: number, seed: number, over: Partial<ConnectionEvent> = {}): ConnectionEvent[] {
  const r = rng(seed);
  const out: ConnectionEvent[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - r()) * mean;
    out.push(ev(t, { bytes: Math.floor(50 + r() * 5000), srcPort: 30_000 + i, ...over }));
  }
  return out;
}
