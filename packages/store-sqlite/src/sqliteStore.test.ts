import { createAlert, type Alert } from '@beacon/alerting';
import { createDetector, toBeaconItem } from '@beacon/detector';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION } from './internal/schema.js';
import { detectorWithBeacon, emptyDelta, fullDelta, plainPair, sorted, T0 } from './internal/fixtures.testutil.js';
import { SqliteStore } from './sqliteStore.js';
import { isStoreError, type StoreErrorCode } from './storeError.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-store-'));
  file = join(dir, 'beacon.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function expectStoreError(fn: () => unknown, code: StoreErrorCode, text: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(isStoreError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected a StoreError');
}

function alertOf(i: number): Alert {
  const d = detectorWithBeacon(0);
  const det = d.beacons()[0]!;
  return createAlert(toBeaconItem(det), { now: () => (T0 + i) * 1000 });
}

describe('SqliteStore', () => {
  it('round-trips a detector state: pairs with history, beacons, cooldowns, counters', async () => {
    const d = detectorWithBeacon();
    const state = d.exportState();
    expect(state.beacons).toHaveLength(1);
    expect(state.cooldowns).toHaveLength(1);
    const store = new SqliteStore({ path: file });
    expect(store.origin).toBe('new');
    expect(await store.load()).toBeNull();
    await store.save(fullDelta(state));
    await store.close();

    const again = new SqliteStore({ path: file });
    expect(again.origin).toBe('ours');
    const loaded = await again.load();
    expect(loaded).not.toBeNull();
    expect(sorted(loaded!)).toEqual(sorted(state));
    // Histories come back typed (importState copies them as they are); times and sizes on demand.
    const first = loaded!.pairs.find((p) => p.srcIp === '10.0.0.5')!;
    expect(first.history?.times).toBeInstanceOf(Uint32Array);
    expect(first.history?.sizes).toBeInstanceOf(Uint32Array);
    expect(JSON.parse(JSON.stringify(loaded!.pairs))).toEqual(loaded!.pairs.map(plainPair));
    expect(again.lastLoad).toMatchObject({ pairs: 6, beacons: 1, cooldowns: 1, skipped: { pairs: 0, beacons: 0, cooldowns: 0 } });
    // The state imports into a fresh detector and exports the same again.
    const d2 = createDetector({ now: () => T0 + 40 * 60 });
    d2.importState(loaded!);
    expect(sorted(d2.exportState())).toEqual(sorted(state));
    await again.close();

    // The original's beacons table holds the beacon item, so its readers still work.
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT * FROM beacons').get() as { pair_key: string; detection_json: string; first_detected: string; last_updated: string };
    expect(row.pair_key).toBe('10.0.0.5->203.0.113.9:443/TCP');
    expect(JSON.parse(row.detection_json)).toEqual(toBeaconItem(state.beacons[0]!));
    expect(row.first_detected).toMatch(/Z$/);
    raw.close();
  });

  it('loads typed histories that import to the same pairs; an edited times array is what gets imported', async () => {
    const d = detectorWithBeacon(20);
    const state = d.exportState();
    const store = new SqliteStore({ path: file });
    await store.save(fullDelta(state));
    const loaded = (await store.load())!;
    await store.close();
    expect(loaded.pairs.every((p) => p.history !== undefined)).toBe(true);
    for (const trusted of [true, false]) {
      const d2 = createDetector({ now: () => T0 + 40 * 60 });
      d2.importState(loaded, { trusted });
      expect(d2.exportState()).toEqual(state);
    }
    // A plain copy (JSON) imports the same.
    const d3 = createDetector({ now: () => T0 + 40 * 60 });
    d3.importState(JSON.parse(JSON.stringify(loaded)) as typeof loaded);
    expect(d3.exportState()).toEqual(state);
    // Assigning times (or sizes) drops the typed form, so the edit is what gets imported.
    const p = loaded.pairs[0]!;
    p.times = p.times.slice(-2);
    p.sizes = p.sizes.slice(-2);
    expect(p.history).toBeUndefined();
    const d4 = createDetector({ now: () => T0 + 40 * 60 });
    d4.importState(loaded);
    expect(d4.exportState().pairs.find((q) => q.srcIp === p.srcIp && q.dstIp === p.dstIp)?.times).toEqual(p.times);
  });

  it('reads histories with no typed form as plain arrays, and skips an undecodable row', async () => {
    const d = detectorWithBeacon(3);
    const state = d.exportState();
    const odd = { ...state.pairs[0]!, srcIp: '10.0.9.9', times: [T0 + 0.0001, T0 + 1.5], sizes: [1, 2] };
    const store = new SqliteStore({ path: file, writerThread: false });
    await store.save(fullDelta({ ...state, pairs: [...state.pairs, odd] }));
    const raw = new Database(file);
    raw.prepare(`INSERT INTO pairs (pair_key, src_ip, dst_ip, dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows, seq, history) VALUES ('k', '10.9.9.9', '10.9.9.8', 1, 6, 1, 1, 1, 0, 0, 100000, x'0102')`).run();
    raw.close();
    const loaded = (await store.load())!;
    expect(store.lastLoad).toMatchObject({ pairs: state.pairs.length + 1, skipped: { pairs: 1 } });
    expect(loaded.pairs.map(plainPair)).toEqual([...state.pairs, odd]);
    expect(loaded.pairs.at(-1)!.history).toBeUndefined();
    await store.close();
  });

  it('applies deltas in order: updates, removed pairs, beacons and cooldowns', async () => {
    const d = detectorWithBeacon();
    const store = new SqliteStore({ path: file });
    await store.save(d.exportDelta());
    const key = '10.0.0.5->203.0.113.9:443/TCP';
    await store.save({ ...emptyDelta(T0 + 100), removedPairs: ['10.0.1.1->198.51.100.7:443/TCP'], removedBeacons: [key], removedCooldowns: [key], counters: { totalRuns: 9, 'server.events_received': 42 } });
    const s = (await store.load())!;
    expect(s.pairs).toHaveLength(5);
    expect(s.beacons).toHaveLength(0);
    expect(s.cooldowns).toHaveLength(0);
    expect(s.counters.totalRuns).toBe(9);
    expect(s.counters['server.events_received']).toBe(42);
    expect(s.exportedAt).toBe(T0 + 100);
    expect(store.stats()).toMatchObject({ saves: 2, pairsWritten: 6, pairsDeleted: 1 });
    // The detector's own next delta is empty apart from the counters.
    const next = d.exportDelta();
    expect(next.pairs).toHaveLength(0);
    await store.close();
  });

  it('keeps the least recently touched pairs first, across saves', async () => {
    const d = detectorWithBeacon(3);
    const store = new SqliteStore({ path: file });
    const s = d.exportState();
    await store.save(fullDelta(s));
    // Touch the first (least recent) pair again: it must come back last.
    await store.save({ ...emptyDelta(), pairs: [s.pairs[0]!] });
    const loaded = (await store.load())!;
    expect(loaded.pairs.map((p) => p.srcIp)).toEqual([...s.pairs.slice(1), s.pairs[0]!].map((p) => p.srcIp));
    await store.close();
  });

  it('opens in WAL mode and marks the file as ours', async () => {
    const store = new SqliteStore({ path: file });
    await store.save(emptyDelta());
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    await store.close();
  });

  it('saves alerts and restores the newest, oldest first; prunes by count and age', async () => {
    let now = (T0 + 10) * 1000;
    const store = new SqliteStore({ path: file, maxAlerts: 3, alertRetentionSeconds: 3600, now: () => now });
    const alerts = [0, 1, 2, 3, 4].map(alertOf);
    await store.saveAlerts(alerts.slice(0, 2));
    await store.saveAlerts(alerts.slice(2));
    expect(await store.loadAlerts(10)).toEqual(alerts); // retention runs at most once a minute
    expect(store.pruneAlerts()).toBe(2); // keeps the newest maxAlerts
    expect(await store.loadAlerts(10)).toEqual(alerts.slice(2));
    expect(await store.loadAlerts(2)).toEqual(alerts.slice(3));
    now += 2 * 3600 * 1000;
    expect(store.pruneAlerts()).toBe(3);
    expect(await store.loadAlerts()).toEqual([]);
    expect(store.stats()).toMatchObject({ alertsWritten: 5, alertsPruned: 5 });
    await store.close();
  });

  it('accepts an original-system database and migrates it by adding its tables', async () => {
    const raw = new Database(file);
    raw.exec(`CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT, title TEXT, description TEXT, severity TEXT,
                source TEXT, details_json TEXT, timestamp TEXT, tags_json TEXT, created_at TEXT);
              CREATE TABLE beacons (pair_key TEXT, detection_json TEXT, first_detected TEXT, last_updated TEXT);`);
    const a = alertOf(1);
    raw.prepare('INSERT INTO alerts (alert_id, title, description, severity, source, details_json, timestamp, tags_json, created_at) VALUES (?,?,?,?,?,?,?,?,?)')
      .run(a.alert_id, a.title, a.description, a.severity.toUpperCase(), a.source, JSON.stringify(a.details), a.timestamp, JSON.stringify(a.tags), '2023-11-14 22:13:20');
    raw.prepare('INSERT INTO alerts (alert_id, severity, details_json) VALUES (?,?,?)').run('broken', 'high', '{not json');
    raw.prepare('INSERT INTO beacons VALUES (?,?,?,?)').run('10.0.0.5->203.0.113.9:443/TCP', '{}', 'x', 'x');
    raw.close();

    const store = new SqliteStore({ path: file });
    expect(store.origin).toBe('original');
    expect(await store.load()).toBeNull(); // the original kept no pairs
    expect(await store.loadAlerts()).toEqual([a]);
    expect(store.stats().alertsSkipped).toBe(1);
    // Its beacons table has no unique key: saving a beacon updates the row in place.
    const d = detectorWithBeacon(0);
    await store.save(d.exportDelta());
    await store.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM beacons').pluck().get()).toBe(1);
    expect(check.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    check.close();
    expect((await new SqliteStore({ path: file }).load())?.beacons).toHaveLength(1);
  });

  it('refuses a file that is not SQLite, and leaves it untouched', () => {
    writeFileSync(file, 'alerts:\n  - not a database\n'.repeat(100));
    const before = sha(file);
    expectStoreError(() => new SqliteStore({ path: file }), 'NOT_SQLITE', /not an SQLite database.*move the file away, or set persistence\.db_path/);
    expect(sha(file)).toBe(before);
  });

  it("refuses another application's SQLite database, and leaves it untouched", () => {
    const raw = new Database(file);
    raw.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES (\'ada\');');
    raw.close();
    const before = sha(file);
    expectStoreError(() => new SqliteStore({ path: file }), 'FOREIGN_DATABASE', /another application \(tables users\)/);
    expect(sha(file)).toBe(before);

    const other = join(dir, 'other.db');
    const withId = new Database(other);
    withId.pragma('application_id = 1234');
    withId.exec('CREATE TABLE alerts (x)');
    withId.close();
    file = other;
    expectStoreError(() => new SqliteStore({ path: other }), 'FOREIGN_DATABASE', /application_id 0x4d2/);
  });

  it('refuses a damaged database and a newer schema, and leaves them untouched', async () => {
    const store = new SqliteStore({ path: file });
    const d = detectorWithBeacon(200);
    await store.save(d.exportDelta());
    await store.close();
    const bytes = readFileSync(file);
    expect(bytes.byteLength).toBeGreaterThan(8 * 4096);
    for (let i = 2 * 4096; i < bytes.byteLength; i += 4096) bytes.fill(0xa5, i, i + 512);
    writeFileSync(file, bytes);
    const before = sha(file);
    expectStoreError(() => new SqliteStore({ path: file }), 'CORRUPT', /corrupt|integrity check/);
    expect(sha(file)).toBe(before);

    const newer = join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    file = newer;
    expectStoreError(() => new SqliteStore({ path: newer }), 'NEWER_SCHEMA', /newer than this version/);
  });

  it('commits saves on a writer thread while the event loop turns, with the same result as writing in-thread', async () => {
    const state = detectorWithBeacon(250).exportState();
    const store = new SqliteStore({ path: file });
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (!settled) setImmediate(tick);
    };
    let settled = false;
    setImmediate(tick);
    await store.save(fullDelta(state));
    settled = true;
    // The transaction ran elsewhere: timers and I/O had their turns meanwhile (in-thread, none would).
    expect(turns).toBeGreaterThan(0);
    expect(store.stats()).toMatchObject({ saves: 1, pairsWritten: state.pairs.length });
    // A save started before close() is committed by it; the thread then ends.
    const late = store.save({ ...emptyDelta(T0 + 1), counters: { late: 1 } });
    await store.close();
    await expect(late).resolves.toBeUndefined();

    const inline = join(dir, 'inline.db');
    const other = new SqliteStore({ path: inline, writerThread: false });
    await other.save(fullDelta(state));
    await other.save({ ...emptyDelta(T0 + 1), counters: { late: 1 } });
    const fromInline = await other.load();
    await other.close();
    const again = new SqliteStore({ path: file });
    const fromThread = await again.load();
    await again.close();
    expect(sorted(fromThread!)).toEqual(sorted(fromInline!));
    expect(fromThread!.counters.late).toBe(1);
    expect(fromThread!.pairs).toHaveLength(state.pairs.length);
  });

  it('names the file when it cannot be created, and refuses use after close', async () => {
    file = join(dir, 'missing', 'dir', 'beacon.db');
    expectStoreError(() => new SqliteStore({ path: file }), 'OPEN_FAILED', /cannot open the database/);
    file = join(dir, 'ok.db');
    const store = new SqliteStore({ path: file });
    await store.close();
    await expect(store.save(emptyDelta())).rejects.toMatchObject({ code: 'CLOSED' });
    await store.close(); // idempotent
  });
});
