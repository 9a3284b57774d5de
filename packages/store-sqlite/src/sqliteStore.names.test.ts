import Database from 'better-sqlite3';
import { createDetector, type DetectorState, type PairSnapshot, type StateDelta } from '@beacon/detector';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectorWithNamedBeacon, emptyDelta, T0 } from './internal/fixtures.testutil.js';
import { SqliteStore } from './sqliteStore.js';

const IPS = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13'];
const NAME_KEY = '10.0.0.5->c2.example.net:443/TCP';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-store-names-'));
  file = join(dir, 'beacon.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const names = (s: DetectorState | null): Array<[string, string | undefined, string[] | undefined]> =>
  (s?.pairs ?? []).map((p): [string, string | undefined, string[] | undefined] => [`${p.srcIp}>${p.dstIp}`, p.serverName, p.dstIps]).sort((a, b) => a[0].localeCompare(b[0]));

describe('SqliteStore and server names', () => {
  it('name-keyed pairs keep dst_ips and server_name across a restart: detector -> store -> new store -> new detector', async () => {
    const a = detectorWithNamedBeacon(IPS);
    const found = a.beacons().find((b) => b.pairKey === NAME_KEY);
    expect(found?.dstIps).toEqual(IPS);
    const store = new SqliteStore({ path: file }); // writer thread, as in production
    await store.save(a.exportDelta());
    await store.close();

    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT server_name, dst_ips FROM pairs WHERE pair_key = ?').get(NAME_KEY) as { server_name: string; dst_ips: string };
    expect(row).toEqual({ server_name: 'c2.example.net', dst_ips: JSON.stringify(IPS) });
    expect(raw.prepare(`SELECT server_name, dst_ips FROM pairs WHERE dst_ip = '203.0.113.1'`).get()).toEqual({ server_name: 'solo.example.org', dst_ips: null });
    raw.close();

    const again = new SqliteStore({ path: file });
    const state = await again.load();
    expect(names(state)).toEqual(names(a.exportState()));
    const b = createDetector({ now: () => T0 + 60 * 60 });
    b.importState(state as DetectorState, { trusted: true });
    const named = b.beacons().find((x) => x.pairKey === NAME_KEY);
    expect(named?.dstIps).toEqual(IPS);
    expect(named?.serverName).toBe('c2.example.net');
    expect(names(b.exportState())).toEqual(names(a.exportState()));
    // The address rows still point to the name-keyed pair, and the solo name still has no pair of its own.
    const pointing = (d: typeof a): string[] => d.beacons().filter((x) => x.namePairKey === NAME_KEY).map((x) => x.pairKey).sort();
    expect(pointing(a).length).toBeGreaterThan(0);
    expect(pointing(b)).toEqual(pointing(a));
    expect(b.exportState().pairs.some((p) => p.dstIp === 'solo.example.org')).toBe(false);
    b.ingest({ ...firstEvent(), dstIp: '203.0.113.2', serverName: 'solo.example.org' });
    expect(b.exportState().pairs.find((p) => p.dstIp === 'solo.example.org')?.dstIps).toEqual(['203.0.113.1', '203.0.113.2']);
    await again.close();
  });

  it('a file written before the name columns gains them when opened, and its pairs load without names', async () => {
    const store = new SqliteStore({ path: file });
    await store.save(detectorWithNamedBeacon(IPS).exportDelta());
    await store.close();
    const raw = new Database(file);
    raw.exec('ALTER TABLE pairs DROP COLUMN server_name; ALTER TABLE pairs DROP COLUMN dst_ips;');
    raw.close();
    const again = new SqliteStore({ path: file });
    const state = await again.load();
    expect(state?.pairs.length).toBe(6);
    expect(state?.pairs.every((p) => p.serverName === undefined && p.dstIps === undefined)).toBe(true);
    // an old name-keyed pair imports with no addresses listed; new events list them again
    const d = createDetector({ now: () => T0 + 3600 });
    d.importState(state as DetectorState);
    expect(d.exportState().pairs.find((p) => p.dstIp === 'c2.example.net')?.dstIps).toEqual([]);
    await again.save(detectorWithNamedBeacon(IPS).exportDelta());
    expect(names(await again.load()).find((r) => r[0] === '10.0.0.5>c2.example.net')?.[2]).toEqual(IPS);
    await again.close();
    const cols = new Database(file, { readonly: true });
    expect((cols.prepare(`SELECT name FROM pragma_table_info('pairs')`).all() as Array<{ name: string }>).map((r) => r.name)).toEqual(expect.arrayContaining(['server_name', 'dst_ips']));
    cols.close();
  });

  it('rows cannot be shifted by what a string holds: tab, newline, NUL and very long keys round-trip exactly', async () => {
    // Straight to the store, past the detector's own checks, with and without the writer thread.
    for (const writerThread of [true, false]) {
      const path = join(dir, `hostile-${writerThread}.db`);
      const store = new SqliteStore({ path, writerThread });
      const pair = (dstIp: string, serverName: string | undefined, i: number): PairSnapshot => ({
        srcIp: `10.0.0.${i}`, dstIp, dstPort: 443, protocol: 6, firstSeen: T0, lastSeen: T0 + 60, count: 2, maxFlowSec: 0, longFlows: 0, times: [T0, T0 + 60], sizes: [300, 310],
        ...(serverName === undefined ? {} : { serverName }),
      });
      const hostile = ['a\tb', 'line\nbreak', 'nul\0byte', '\r\n\t', 'x'.repeat(10_000), 'é\u2028'];
      const delta: StateDelta = { ...emptyDelta(), pairs: [...hostile.map((n, i) => pair(n, n, i + 1)), pair('203.0.113.9', undefined, 99)] };
      await store.save(delta);
      await store.close();
      const raw = new Database(path, { readonly: true });
      const rows = raw.prepare('SELECT src_ip, dst_ip, server_name, dst_port FROM pairs ORDER BY seq').all() as Array<{ src_ip: string; dst_ip: string; server_name: string | null; dst_port: number }>;
      raw.close();
      expect(rows).toEqual([...hostile.map((n, i) => ({ src_ip: `10.0.0.${i + 1}`, dst_ip: n, server_name: n, dst_port: 443 })), { src_ip: '10.0.0.99', dst_ip: '203.0.113.9', server_name: null, dst_port: 443 }]);
    }
  });

  it('a stored name or address list that is not readable skips its pair, counted', async () => {
    const store = new SqliteStore({ path: file });
    await store.save(detectorWithNamedBeacon(IPS).exportDelta());
    await store.close();
    const raw = new Database(file);
    raw.prepare('UPDATE pairs SET dst_ips = ? WHERE pair_key = ?').run('[1,2', NAME_KEY);
    raw.close();
    const again = new SqliteStore({ path: file });
    const state = await again.load();
    expect(again.lastLoad?.skipped.pairs).toBe(1);
    expect(state?.pairs.some((p) => p.dstIp === 'c2.example.net')).toBe(false);
    await again.close();
  });
});

function firstEvent() {
  return { tsSec: T0 + 3000, tsNsec: 0, srcIp: '10.0.0.6', dstIp: '203.0.113.1', srcPort: 50_000, dstPort: 443, protocol: 6, direction: 'egress' as const, bytes: 300, packets: 3, tcpFlags: 2, kind: 'flow_start' as const, node: 'test' };
}
