import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, startServer, type ServerProcess } from '../helpers/cli.js';

// The real `beacon server` process, killed with SIGKILL during heavy telemetry ingest, then
// restarted on the same database file.

const FLUSH_S = 1;
const BEACON_KEY = '10.0.0.5->203.0.113.9:443/TCP';

interface WireEvent {
  timestamp_ns: string;
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
  packet_size: number;
  protocol: number;
  tcp_flags: number;
  direction: number;
}

const wire = (tSec: number, src: string, dst: string, srcPort: number): WireEvent => ({
  timestamp_ns: String(BigInt(Math.round(tSec * 1000)) * 1_000_000n),
  src_ip: src,
  dst_ip: dst,
  src_port: srcPort,
  dst_port: 443,
  packet_size: 310,
  protocol: 6,
  tcp_flags: 2,
  direction: 1,
});

async function postBatch(url: string, events: WireEvent[], id: number): Promise<number> {
  const body = gzipSync(JSON.stringify({ batch_id: `b-${id}`, node_id: 'dp-crash', created_at: new Date().toISOString(), event_count: events.length, events }));
  const res = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  await res.arrayBuffer();
  return res.status;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getJson(url: string, path: string): Promise<any> {
  const res = await fetch(`${url}${path}`);
  expect(res.status, path).toBe(200);
  return res.json();
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sha = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

describe('beacon server persistence, end to end', () => {
  let dir: string;
  let db: string;
  let config: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-persist-'));
    db = join(dir, 'state.db');
    config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        'control_plane: { listen_address: 127.0.0.1, listen_port: 0 }',
        'detection: { analysis_interval: 1 }',
        `alerting: { file: { enabled: true, path: ${JSON.stringify(join(dir, 'alerts.json'))} } }`,
        `persistence: { db_path: ${JSON.stringify(db)}, flush_interval: ${FLUSH_S} }`,
        'logging: { level: warning }',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('a server killed with SIGKILL during heavy ingest restarts with at most the last flush interval missing', async () => {
    const a = await startServer(['-c', config]);
    servers.push(a);
    const now = Date.now() / 1000;
    // A 60 s beacon over the last 40 minutes: detected and alerted by the 1 s analysis loop.
    const beacon = Array.from({ length: 40 }, (_, i) => wire(now - 2400 + i * 60, '10.0.0.5', '203.0.113.9', 40_000 + i));
    expect(await postBatch(a.url, beacon, 0)).toBe(200);
    await until('the alert', async () => (await getJson(a.url, '/api/v1/alerts')).count >= 1);

    // Heavy ingest: batches of 2,000 events over 20,000 pairs, as fast as the server takes them.
    let acked = beacon.length;
    let stopIngest = false;
    const started = Date.now();
    const ingest = (async () => {
      for (let b = 1; !stopIngest; b++) {
        const t = Date.now() / 1000 - 600;
        const events = Array.from({ length: 2000 }, (_, i) => {
          const p = (b * 2000 + i) % 20_000;
          return wire(t + i / 1000, `10.1.${p >> 8}.${p & 255}`, `198.51.100.${p % 200}`, 1024 + (b % 60_000));
        });
        try {
          if ((await postBatch(a.url, events, b)) === 200) acked += events.length;
        } catch {
          return; // the server was killed mid-request
        }
      }
    })();
    await new Promise((r) => setTimeout(r, (FLUSH_S * 4 + 0.5) * 1000));
    const ingestSeconds = (Date.now() - started) / 1000;
    const beforeKill = acked;
    a.child.kill('SIGKILL');
    stopIngest = true;
    await ingest;
    await new Promise<void>((r) => (a.child.exitCode !== null || a.child.signalCode !== null ? r() : a.child.once('exit', () => r())));
    expect(a.child.signalCode).toBe('SIGKILL');
    const rate = beforeKill / ingestSeconds;
    expect(rate, 'ingest was not heavy').toBeGreaterThan(5000);

    const b = await startServer(['-c', config]);
    servers.push(b);
    expect((await getJson(b.url, '/api/v1/health')).status).toBeDefined();
    const status = await getJson(b.url, '/api/v1/status');
    // Every accepted event went into history: records_added is the detector's lifetime count.
    const restored = status.storage.records_added as number;
    const missing = acked - restored;
    // At most the last flush interval, plus the flush that was being committed when the process
    // died (its transaction runs on the writer thread while ingest goes on: up to ~2 s on a
    // loaded machine), plus the batch in flight.
    expect(missing, `acked ${acked}, restored ${restored}, rate ${Math.round(rate)}/s`).toBeLessThanOrEqual(rate * (FLUSH_S + 2) + 2000);
    expect(restored).toBeGreaterThan(acked / 3);
    if (status.events_received > 0) {
      // Server counters restored too (when createApp registers its counters for persistence).
      expect(status.events_received).toBeGreaterThanOrEqual(restored);
      expect(status.events_received).toBeLessThanOrEqual(acked);
    }
    expect(status.storage.pair_count).toBeGreaterThan(1000);
    // The beacon, its alert and its cooldown are back: analysing again raises no new alert.
    const beacons = await getJson(b.url, '/api/v1/beacons');
    expect(JSON.stringify(beacons)).toContain(BEACON_KEY);
    const alerts = await getJson(b.url, '/api/v1/alerts');
    expect(alerts.count).toBeGreaterThanOrEqual(1);
    const run = await fetch(`${b.url}/api/v1/analyze`, { method: 'POST' }).then((r) => r.json() as Promise<{ run: { alerts_generated: number } }>);
    expect(run.run.alerts_generated).toBe(0);
    expect(status.analyzer.total_runs).toBeGreaterThanOrEqual(1);

    expect(await b.stop()).toBe(0);
    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(check.prepare('SELECT count(*) FROM beacons WHERE pair_key = ?').pluck().get(BEACON_KEY)).toBe(1);
    check.close();
  }, 120_000);

  it('db_path: null and enabled: false start cleanly and create no file', async () => {
    const off = join(dir, 'off');
    await rm(off, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(off);
    const existedAtRoot = existsSync(join(repoRoot, 'beacon_detect.db'));
    for (const persistence of ['{ db_path: null }', `{ enabled: false, db_path: ${JSON.stringify(join(off, 'never.db'))} }`]) {
      const cfg = join(off, 'config.yaml');
      await writeFile(cfg, ['control_plane: { listen_address: 127.0.0.1, listen_port: 0 }', `persistence: ${persistence}`, 'logging: { level: info }'].join('\n'));
      const s = await startServer(['-c', cfg]);
      servers.push(s);
      expect((await getJson(s.url, '/api/v1/health')).status).toBeDefined();
      expect(await s.stop()).toBe(0);
      expect(s.output()).toMatch(/persistence off/);
      expect(await readdir(off)).toEqual(['config.yaml']);
    }
    expect(existsSync(join(repoRoot, 'beacon_detect.db'))).toBe(existedAtRoot);
  }, 60_000);

  it('a foreign or corrupt database file stops start-up with a message naming it, and is not touched', async () => {
    for (const [name, content] of [
      ['notes.db', 'these are my notes, not a database\n'],
      ['other.db', null],
    ] as const) {
      const file = join(dir, name);
      if (content) await writeFile(file, content);
      else {
        const other = new Database(file);
        other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
        other.close();
      }
      const before = await sha(file);
      const cfg = join(dir, `bad-${name}.yaml`);
      await writeFile(cfg, ['control_plane: { listen_address: 127.0.0.1, listen_port: 0 }', `persistence: { db_path: ${JSON.stringify(file)} }`].join('\n'));
      const r = await runCli(['server', '-c', cfg], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/move the file away, or set persistence\.db_path/);
      expect(await sha(file)).toBe(before);
    }
  }, 60_000);
});
