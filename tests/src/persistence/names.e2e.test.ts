import Database from 'better-sqlite3';
import { defaultConfig } from '@beacon/config';
import { createControlPlane } from '@beacon/server';
import { SqliteStore } from '@beacon/store-sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Server names through the telemetry API into SQLite and back: hostile names are refused at the
// API (each named by its field path, counted), good ones survive a restart with their addresses.

const T0 = 1_700_000_000;
const IPS = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13'];
const NAME_KEY = '10.0.0.5->c2.example.net:443/TCP';
const HOSTILE = ['evil\ttab.example', 'evil\nnewline.example', 'evil\u0000nul.example', 'evil\r\n\tmix', '\u001b[31mred', 'x'.repeat(300), 'a b.example'];

const wire = (i: number, dst: string, serverName?: string) => ({
  timestamp_ns: String(BigInt(T0 + i * 60) * 1_000_000_000n),
  src_ip: i < 0 ? '10.0.0.7' : '10.0.0.5',
  dst_ip: dst,
  src_port: 40_000 + (Math.abs(i) % 20_000),
  dst_port: 443,
  packet_size: 310,
  protocol: 6,
  tcp_flags: 2,
  direction: 1,
  ...(serverName === undefined ? {} : { server_name: serverName }),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beacon-names-e2e-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function controlPlane(file: string) {
  const config = defaultConfig();
  config.alerting.enabled = false;
  return createControlPlane(config, { store: new SqliteStore({ path: file }), now: () => (T0 + 3600) * 1000 });
}

async function post(cp: ReturnType<typeof controlPlane>, events: unknown[]) {
  const body = JSON.stringify({ batch_id: 'b-1', node_id: 'dp-names', created_at: '2023-11-14T22:13:20Z', event_count: events.length, events });
  const res = await cp.app.request('/api/v1/telemetry', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as { events_accepted?: number; events_rejected?: number; rejected?: Array<{ path: string; message: string }> } };
}

describe('server names through the telemetry API and the SQLite store', () => {
  it('refuses hostile names naming the field, stores good ones with their addresses, and restores them after a restart', async () => {
    const file = join(dir, 'beacon.db');
    const cp = controlPlane(file);
    await cp.ready;
    const beacon = Array.from({ length: 60 }, (_, i) => wire(i, IPS[i % IPS.length] as string, 'c2.example.net'));
    const hostile = HOSTILE.map((n, i) => wire(-(i + 1), '203.0.113.50', n));
    const r = await post(cp, [...beacon, ...hostile]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ events_accepted: beacon.length, events_rejected: HOSTILE.length });
    expect(r.body.rejected?.map((x) => x.path)).toEqual(HOSTILE.map((_, i) => `events[${60 + i}].server_name`));
    expect(r.body.rejected?.[0]?.message).toMatch(/server name/);
    const metrics = await (await cp.app.request('/api/v1/metrics')).text();
    expect(metrics).toContain(`beacon_detector_events_rejected_total{reason="invalid_wire"} ${HOSTILE.length}`);
    cp.detector.analyze();
    const before = cp.detector.beacons().find((b) => b.pairKey === NAME_KEY);
    expect(before?.dstIps).toEqual(IPS);
    await cp.close();

    // Every row as written: nothing hostile, nothing shifted between columns.
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare('SELECT pair_key, src_ip, dst_ip, server_name, dst_ips FROM pairs').all() as Array<Record<string, string | null>>;
    raw.close();
    expect(rows).toHaveLength(IPS.length + 1);
    for (const row of rows) for (const v of Object.values(row)) if (v !== null) expect(v).toMatch(/^[\x21-\x7e]+$/);
    expect(rows.find((x) => x.pair_key === NAME_KEY)).toEqual({ pair_key: NAME_KEY, src_ip: '10.0.0.5', dst_ip: 'c2.example.net', server_name: 'c2.example.net', dst_ips: JSON.stringify(IPS) });

    // A new control plane on the same file: the same name-keyed finding, with its addresses.
    const next = controlPlane(file);
    await next.ready;
    const restored = next.detector.beacons().find((b) => b.pairKey === NAME_KEY);
    expect(restored?.serverName).toBe('c2.example.net');
    expect(restored?.dstIps).toEqual(IPS);
    const listed = (await (await next.app.request('/api/v1/beacons')).json()) as { beacons?: Array<Record<string, unknown>> };
    const item = listed.beacons?.find((b) => b.pair_key === NAME_KEY);
    expect(item).toMatchObject({ server_name: 'c2.example.net', dst_ips: IPS });
    await next.close();
  });
});
