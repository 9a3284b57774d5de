import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { DetectorError } from './detectorError.js';
import type { ConnectionEvent } from './event.js';
import { beacon, poisson } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

/** Beacons and noise from 40 sources (some with more than 8 destinations), interleaved in time order. */
function traffic(): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let s = 0; s < 40; s++) {
    const srcIp = `10.0.${s >> 4}.${s & 15}`;
    out.push(...beacon(T0, 60 + s, 120, 0.1, s + 1, { srcIp, dstIp: `198.51.100.${s}` }));
    for (let d = 0; d < (s % 4 === 0 ? 12 : 2); d++) out.push(...poisson(T0, 300, 24, 1000 + s * 31 + d, { srcIp, dstIp: `203.0.113.${d}`, dstPort: 443 + (d % 3) }));
  }
  return out.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
}

function hunt(events: readonly ConnectionEvent[], hints?: (e: ConnectionEvent, i: number) => number, maxPairs = 10_000): unknown {
  const d = createDetector({ config: { maxPairs }, now: () => T0 + 8 * 3600 });
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    const r = d.ingestBatch(batch, hints === undefined ? { trusted: true } : { trusted: true, pairHints: Uint32Array.from(batch, (e, j) => hints(e, i + j)) });
    expect(r.accepted + r.historyFull).toBe(batch.length);
  }
  d.analyze();
  const s = d.stats();
  return { pairs: d.pairs().map((p) => [p.pairKey, p.connectionCount, p.historySize, p.firstSeen, p.lastSeen]).sort(), beacons: d.beacons().map((b) => [b.pairKey, b.result.score]).sort(), evicted: s.evictions, records: s.storage };
}

describe('pair hints', () => {
  const events = traffic();
  const tupleHash = (e: ConnectionEvent): number => {
    let h = 0x811c9dc5;
    for (const ch of `${e.srcIp}|${e.dstIp}|${e.dstPort}|${e.protocol}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return h >>> 0;
  };

  it('give the same pairs, counts and beacons as no hints, whether right, colliding or wrong', () => {
    const plain = hunt(events);
    expect((plain as { beacons: unknown[] }).beacons.length).toBeGreaterThan(10);
    expect(hunt(events, tupleHash)).toEqual(plain);
    expect(hunt(events, () => 7)).toEqual(plain); // every event on one slot
    expect(hunt(events, (_e, i) => i * 2654435761)).toEqual(plain); // unrelated to the pair
    expect(hunt(events, (e) => tupleHash(e) ^ (e.tsSec & 1))).toEqual(plain); // a pair under two hints
  });

  it('stay right when the pair cap evicts and recreates the pairs hints point to', () => {
    const plain = hunt(events, undefined, 50);
    expect((plain as { evicted: { pairs: number } }).evicted.pairs).toBeGreaterThan(0);
    expect(hunt(events, tupleHash, 50)).toEqual(plain);
  });

  it('must cover the batch', () => {
    const d = createDetector();
    expect(() => d.ingestBatch(events.slice(0, 3), { pairHints: [1, 2] })).toThrow(DetectorError);
    expect(() => d.ingestBatch(events.slice(0, 3), { pairHints: [1, 2] })).toThrow(/pairHints has 2 entries for 3 events/);
  });
});
