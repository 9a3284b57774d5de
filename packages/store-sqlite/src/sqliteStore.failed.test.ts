import Database from 'better-sqlite3';
import { createDetector, type ConnectionEvent, type DetectorState } from '@beacon/detector';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqliteStore.js';

const T0 = 1_700_000_000;
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-store-failed-'));
  file = join(dir, 'beacon.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Zeek REJ rows to one address and port every 0.5-0.9 s: a reconnect loop. */
function rejLoop(from: number, n: number): ConnectionEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const t = T0 + (from + i) * 0.7 + ((i * 37) % 11) * 0.02;
    return { tsSec: Math.floor(t), tsNsec: Math.round((t % 1) * 1e6) * 1000, srcIp: '10.0.0.5', dstIp: '41.108.179.197', srcPort: 40_000 + from + i, dstPort: 1177, protocol: 6, direction: 'egress', bytes: 0, packets: 1, tcpFlags: 0x16, kind: 'flow_start', node: 'test', durationSec: 0.0004, connState: 'REJ' };
  });
}

describe('SqliteStore and failed attempts', () => {
  it('a reconnect loop keeps its failed-attempt count across a restart: detector -> store -> new store -> new detector', async () => {
    const now = T0 + 400;
    const a = createDetector({ now: () => now });
    a.ingestBatch(rejLoop(0, 300));
    a.analyze();
    expect(a.beacons()[0]?.kind).toBe('reconnect');
    const store = new SqliteStore({ path: file });
    await store.save(a.exportDelta());
    await store.close();

    const raw = new Database(file);
    expect(raw.prepare('SELECT count, failed FROM pairs').get()).toEqual({ count: 300, failed: 300 });
    raw.close();

    const again = new SqliteStore({ path: file });
    const state = (await again.load()) as DetectorState;
    expect(state.pairs[0]?.failed).toBe(300);
    const b = createDetector({ now: () => now });
    b.importState(state, { trusted: true });
    b.ingestBatch(rejLoop(300, 20));
    expect(b.analyze().beacons.map((d) => [d.kind, d.isBeacon])).toEqual([['reconnect', true]]);
    await again.close();

    // a row written before the column (NULL) loads without a count, which the detector takes as 0
    const old = new Database(file);
    old.prepare('UPDATE pairs SET failed = NULL').run();
    old.close();
    const third = new SqliteStore({ path: file });
    const oldState = (await third.load()) as DetectorState;
    expect(oldState.pairs[0]?.failed).toBeUndefined();
    const c = createDetector({ now: () => now });
    c.importState(oldState, { trusted: true });
    expect(c.exportState().pairs[0]?.failed).toBe(0);
    await third.close();
  });
});
