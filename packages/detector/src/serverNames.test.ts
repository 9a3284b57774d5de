import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { ConnectionEvent } from './event.js';
import type { Detection } from './detection.js';
import { toBeaconItem } from './toBeaconItem.js';
import { ev, rng } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;
const C2_IPS = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];

/** A beacon every `period` s +-20 %, each callback to a random one of `ips`, for `hours`. */
function rotatingBeacon(period: number, ips: string[], hours: number, seed: number, name: string | undefined): ConnectionEvent[] {
  const r = rng(seed);
  const out: ConnectionEvent[] = [];
  for (let t = T0, i = 0; t < T0 + hours * 3600; t += period * (0.8 + 0.4 * r()), i++) {
    const e = ev(t, { dstIp: ips[Math.floor(r() * ips.length)] as string, srcPort: 40_000 + (i % 20_000), bytes: 300 + Math.floor(r() * 30) });
    if (name !== undefined) e.serverName = name;
    out.push(e);
  }
  return out;
}

/** A person browsing one busy site: sessions at random times, each a burst of page loads over the site's addresses. */
function browsing(ips: string[], hours: number, seed: number, name: string): ConnectionEvent[] {
  const r = rng(seed);
  const out: ConnectionEvent[] = [];
  let t = T0;
  let port = 50_000;
  while (t < T0 + hours * 3600) {
    t += -Math.log(1 - r()) * 1200;
    const loads = 3 + Math.floor(r() * 25);
    let u = t;
    for (let i = 0; i < loads; i++) {
      u += r() < 0.7 ? r() * 3 : r() * 90;
      out.push(ev(u, { srcIp: '10.0.0.8', dstIp: ips[Math.floor(r() * ips.length)] as string, srcPort: port++, bytes: Math.floor(500 + r() * 60_000), serverName: name }));
    }
  }
  return out.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
}

function sorted(events: ConnectionEvent[]): ConnectionEvent[] {
  return events.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
}

describe('name-keyed pairs', () => {
  it('a beacon rotating over 5 addresses of one name for 8 h is one name-keyed finding listing them', () => {
    const d = createDetector({ now: () => T0 + 8 * 3600, config: { maxHistory: 512 } });
    const r = d.ingestBatch(sorted([...rotatingBeacon(180, C2_IPS, 8, 1, 'c2.example.net'), ...browsing(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'], 8, 2, 'www.news.example')]));
    expect(r.rejected).toBe(0);
    d.analyze();
    const named = d.beacons().filter((b) => b.dstIps !== undefined);
    expect(named.map((b) => b.pairKey)).toEqual(['10.0.0.5->c2.example.net:443/TCP']);
    const b = named[0];
    expect(b?.serverName).toBe('c2.example.net');
    expect([...(b?.dstIps ?? [])].sort()).toEqual(C2_IPS);
    expect(C2_IPS).toContain(b?.dstIp);
    expect(b?.result.periodSeconds).toBeGreaterThan(150);
    expect(b?.result.periodSeconds).toBeLessThan(210);
    const item = toBeaconItem(b as NonNullable<typeof b>);
    expect(item).toMatchObject({ server_name: 'c2.example.net', pair_key: '10.0.0.5->c2.example.net:443/TCP' });
    expect(item.dst_ips).toHaveLength(5);
    // The address pairs carry the name and point at the name-keyed pair.
    const addressRows = d.connections({ limit: 100 }).filter((p) => p.dstIp.startsWith('198.51.100.'));
    expect(addressRows).toHaveLength(5);
    for (const a of d.beacons().filter((x) => x.dstIps === undefined && x.serverName === 'c2.example.net')) {
      expect(a.namePairKey).toBe('10.0.0.5->c2.example.net:443/TCP');
    }
    // The busy site is not a beacon, by name or by address.
    expect(d.beacons().filter((x) => x.serverName === 'www.news.example')).toEqual([]);
  });

  it('a name seen on one address only makes no second pair', () => {
    const d = createDetector();
    for (let i = 0; i < 20; i++) d.ingest(ev(T0 + i * 60, { serverName: 'solo.example.com' }));
    expect(d.pairCount).toBe(1);
    d.ingest(ev(T0 + 1300, { dstIp: '203.0.113.99', serverName: 'solo.example.com' }));
    expect(d.pairCount).toBe(3);
    // The name-keyed pair starts with the first address's history.
    expect(d.connections({ limit: 10 }).find((p) => p.dstIp === 'solo.example.com')?.connectionCount).toBe(21);
  });

  it('an address pair whose name changes places each event on its current name only', () => {
    const d = createDetector({ config: { maxHistory: 512 } });
    const a = '203.0.113.1';
    const b = '203.0.113.2';
    const count = (key: string): number | undefined => d.connections({ limit: 100 }).find((p) => p.pairKey === key)?.connectionCount;
    // one.example links both addresses; then address a carries an address literal (keys no
    // pair), then two.example, then one.example again: only one.example's events reach its pair
    d.ingest(ev(T0, { dstIp: a, serverName: 'one.example' }));
    d.ingest(ev(T0 + 1, { dstIp: b, serverName: 'one.example' }));
    d.ingest(ev(T0 + 2, { dstIp: a, serverName: 'one.example' }));
    expect(count('10.0.0.5->one.example:443/TCP')).toBe(3);
    d.ingest(ev(T0 + 3, { dstIp: a, serverName: '192.0.2.9' }));
    d.ingest(ev(T0 + 4, { dstIp: a, serverName: '192.0.2.9' }));
    expect(count('10.0.0.5->one.example:443/TCP')).toBe(3);
    d.ingest(ev(T0 + 5, { dstIp: a, serverName: 'two.example' }));
    d.ingest(ev(T0 + 6, { dstIp: a, serverName: 'two.example' }));
    expect(count('10.0.0.5->one.example:443/TCP')).toBe(3);
    expect(count('10.0.0.5->two.example:443/TCP')).toBeUndefined(); // one address so far
    d.ingest(ev(T0 + 7, { dstIp: a, serverName: 'one.example' }));
    d.ingest(ev(T0 + 8, { dstIp: b, serverName: 'two.example' }));
    d.ingest(ev(T0 + 9, { dstIp: a, serverName: 'one.example' }));
    expect(count('10.0.0.5->one.example:443/TCP')).toBe(5);
    // address a no longer carries two.example, so b's two.example is on one address so far
    expect(count('10.0.0.5->two.example:443/TCP')).toBeUndefined();
    d.ingest(ev(T0 + 10, { dstIp: a, serverName: 'two.example' }));
    // now it is on two: its pair starts from b's history (one.example's first event and its
    // own) and takes a's event
    expect(count('10.0.0.5->two.example:443/TCP')).toBe(3);
    expect(count(`10.0.0.5->${a}:443/TCP`)).toBe(9);
    expect(count(`10.0.0.5->${b}:443/TCP`)).toBe(2);
    d.analyze();
    const one = d.exportState().pairs.find((p) => p.dstIp === 'one.example');
    expect(one?.count).toBe(5);
  });

  it('keyed by address alone, the same rotating beacon is missed; names cost nothing when absent', () => {
    const d = createDetector({ now: () => T0 + 8 * 3600, config: { maxHistory: 512 } });
    d.ingestBatch(rotatingBeacon(180, C2_IPS, 8, 1, undefined));
    d.analyze();
    expect(d.beacons().filter((b) => b.dstIps !== undefined)).toEqual([]);
    expect(d.pairCount).toBe(5);
  });

  it('allowlists and benign baselines accept names and wildcard suffixes', () => {
    const events = rotatingBeacon(180, C2_IPS, 8, 1, 'kv601.prod.do.dsp.mp.microsoft.com');
    const allowed = createDetector({ now: () => T0 + 8 * 3600, config: { allowlist: { serverNames: ['*.microsoft.com'] } } });
    const r = allowed.ingestBatch(events);
    expect(r.allowlisted).toBe(events.length);
    expect(allowed.pairCount).toBe(0);
    const benign = createDetector({
      now: () => T0 + 8 * 3600,
      config: { maxHistory: 512, benignBaseline: { patterns: [{ serverNames: ['*.mp.microsoft.com'], label: 'Delivery Optimization' }] } },
    });
    benign.ingestBatch(events);
    benign.analyze();
    const named = benign.beacons().find((b) => b.dstIps !== undefined);
    expect(named?.benignLabel).toBe('Delivery Optimization');
    expect(() => createDetector({ config: { allowlist: { serverNames: ['bad name!'] } } })).toThrow(/allowlist\.serverNames\.0/);
  });

  it('names count against maxPairs; an address-literal name keys nothing; bad names are rejected', () => {
    const d = createDetector({ config: { maxPairs: 4 } });
    // Each name on two addresses: two address pairs and one name-keyed pair per name.
    for (let i = 0; i < 4; i++) {
      d.ingest(ev(T0 + i, { dstIp: `203.0.113.${i}`, serverName: `n${i}.example.com` }));
      d.ingest(ev(T0 + i, { dstIp: `203.0.114.${i}`, serverName: `n${i}.example.com` }));
    }
    expect(d.pairCount).toBeLessThanOrEqual(4);
    expect(d.stats().evictions.pairs).toBeGreaterThan(0);
    const e = createDetector();
    e.ingest(ev(T0, { dstIp: '203.0.113.7', serverName: '203.0.113.7' }));
    e.ingest(ev(T0, { dstIp: '203.0.113.7', serverName: '192.0.2.1' }));
    expect(e.pairCount).toBe(1);
    expect(e.ingest({ ...ev(T0), serverName: 7 } as unknown as ConnectionEvent)).toBe('invalid_address');
  });

  it('names survive a restart: export, JSON, import into a new detector gives the same dst_ips, server_name and links', () => {
    const events = sorted(rotatingBeacon(180, C2_IPS, 8, 1, 'c2.example.net'));
    const half = events.findIndex((e) => e.tsSec >= T0 + 4 * 3600);
    let now = T0 + 4 * 3600;
    const a = createDetector({ now: () => now, config: { maxHistory: 512 } });
    a.ingestBatch(events.slice(0, half));
    // one more name, seen on one address only so far (no name-keyed pair yet)
    a.ingest(ev(T0 + 100, { srcIp: '10.0.0.6', dstIp: '203.0.113.1', serverName: 'solo.example.org' }));
    const saved = JSON.parse(JSON.stringify(a.exportState())) as ReturnType<typeof a.exportState>;
    const namedSnap = saved.pairs.find((p) => p.dstIp === 'c2.example.net');
    expect(namedSnap?.serverName).toBe('c2.example.net');
    expect([...(namedSnap?.dstIps ?? [])].sort()).toEqual(C2_IPS);
    expect(saved.pairs.find((p) => p.dstIp === '203.0.113.1')?.serverName).toBe('solo.example.org');
    const b = createDetector({ now: () => now, config: { maxHistory: 512 } });
    b.importState(saved);
    expect(b.pairCount).toBe(a.pairCount);
    // The rest of the day, both detectors: same findings, with the same addresses and links.
    a.ingestBatch(events.slice(half));
    b.ingestBatch(events.slice(half));
    // the solo name on a second address now makes its name-keyed pair in both (seeded from the first)
    for (const d of [a, b]) d.ingest(ev(T0 + 4 * 3600 + 10, { srcIp: '10.0.0.6', dstIp: '203.0.113.2', serverName: 'solo.example.org' }));
    now = T0 + 8 * 3600;
    const scored = new Map<typeof a, Detection[]>([[a, []], [b, []]]);
    for (const d of [a, b]) {
      d.on('scored', (x) => scored.get(d)?.push(x));
      d.analyze();
    }
    const view = (d: typeof a) =>
      (scored.get(d) ?? [])
        .map((x) => ({ key: x.pairKey, name: x.serverName, ips: x.dstIps === undefined ? undefined : [...x.dstIps].sort(), points: x.namePairKey, n: x.connectionCount }))
        .sort((x, y) => x.key.localeCompare(y.key));
    const before = view(a);
    expect(before.find((x) => x.key === '10.0.0.5->c2.example.net:443/TCP')?.ips).toEqual(C2_IPS);
    expect(before.filter((x) => x.points === '10.0.0.5->c2.example.net:443/TCP').length).toBeGreaterThan(0);
    expect(view(b)).toEqual(before);
    const pairs = (d: typeof a) => d.exportState().pairs.map((p) => [p.srcIp, p.dstIp, p.serverName, p.dstIps, p.count]);
    expect(pairs(b)).toEqual(pairs(a));
    expect(b.exportState().pairs.find((p) => p.dstIp === 'solo.example.org')?.dstIps).toEqual(['203.0.113.1', '203.0.113.2']);
  });

  it('a snapshot with a bad server name or address list is refused naming the field', () => {
    const d = createDetector();
    d.ingest(ev(T0, { dstIp: '198.51.100.10', serverName: 'c2.example.net' }));
    d.ingest(ev(T0 + 1, { dstIp: '198.51.100.11', serverName: 'c2.example.net' }));
    const s = d.exportState();
    const i = s.pairs.findIndex((p) => p.dstIps !== undefined);
    const bad1 = structuredClone(s);
    (bad1.pairs[i] as { dstIps: unknown }).dstIps = ['198.51.100.10', 'not an address'];
    expect(() => createDetector().importState(bad1)).toThrow(`pairs.${i}.dstIps.1`);
    const bad2 = structuredClone(s);
    (bad2.pairs[0] as { serverName: unknown }).serverName = 'a\tb';
    expect(() => createDetector().importState(bad2)).toThrow('pairs.0.serverName');
  });

  it('refuses names with control characters, spaces or over 255 characters, naming the field, and counts them', () => {
    const d = createDetector();
    const hostile = ['evil\tname.example', 'evil\nname.example', 'evil\0name.example', 'a b.example', 'x'.repeat(256), '\u001b[31mred', 'caf\u00e9.example'];
    const r = d.ingestBatch(hostile.map((serverName, i) => ev(T0 + i, { serverName })));
    expect(r.rejected).toBe(hostile.length);
    expect(r.issues.map((x) => x.path)).toEqual(hostile.map(() => 'serverName'));
    expect(r.issues[0]?.message).toContain('"evil\\tname.example"');
    expect(d.stats().rejections.invalid_address).toBe(hostile.length);
    expect(d.pairCount).toBe(0);
    expect(d.ingest(ev(T0, { serverName: 'ok-name_1.example:8443' }))).toBe('accepted');
    expect(d.ingest(ev(T0, { serverName: 'x'.repeat(255) }))).toBe('accepted');
  });
});
