import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type ServerProcess } from './helpers/cli.js';

// The real `beacon server` process, driven by `beacon simulate`, read back with the CLI.
describe('beacon server + simulate + CLI, end to end', { timeout: 120_000 }, () => {
  let dir: string;
  let server: ServerProcess;
  let port: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-e2e-'));
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        'control_plane: { listen_address: 127.0.0.1, listen_port: 0 }',
        'detection: { analysis_interval: 1 }',
        `alerting: { file: { enabled: true, path: ${JSON.stringify(join(dir, 'alerts.json'))} } }`,
        'persistence: { enabled: false }',
        'logging: { level: warning }',
      ].join('\n'),
    );
    server = await startServer(['-c', config]);
    port = String(server.port);
    const sim = await runCli(['--port', port, 'simulate', '--duration', '5400', '--speed', '3000', '--tick', '0.1', '--noise', '8', '--json'], { timeoutMs: 90_000 });
    expect(sim.code, sim.stderr).toBe(0);
    expect(JSON.parse(sim.stdout).eventsSent).toBeGreaterThan(500);
    const run = await runCli(['--port', port, 'analyze']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Analysis .* completed/);
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('status shows LIVE with real counters', async () => {
    const r = await runCli(['--port', port, 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ LIVE');
    expect(r.stdout).toContain(`Server:            http://localhost:${port}`);
    const events = Number(/Events Received:\s+([\d,]+)/.exec(r.stdout)?.[1]?.replace(/,/g, ''));
    const pairs = Number(/Connection Pairs:\s+([\d,]+)/.exec(r.stdout)?.[1]?.replace(/,/g, ''));
    expect(events).toBeGreaterThan(500);
    expect(pairs).toBeGreaterThanOrEqual(11);
    expect(Number(/Beacons Detected:\s+(\d+)/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('beacons: the planted beacons, sorted by score, as a table, CSV and JSON', async () => {
    const table = await runCli(['--port', port, 'beacons']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SCORE\s+SEVERITY\s+SOURCE IP\s+DEST IP\s+PORT\s+PROTO\s+CONNS\s+INTERVAL\s+DIRECTION\s+KIND$/);
    for (const dst of ['203.0.113.50', '198.51.100.25', '192.0.2.100']) expect(table.stdout).toContain(dst);

    const csv = await runCli(['--port', port, 'beacons', '--csv']);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('Score,Severity,Source_IP,Source_Port,Dest_IP,Dest_Port,Protocol,Connections,Interval,Jitter,Direction,Kind');
    const scores = rows.slice(1).map((r) => Number(r.split(',')[0]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const json = await runCli(['--port', port, 'beacons', '--json', '--min-score', '0.7']);
    const items = JSON.parse(json.stdout) as Array<{ dst_ip: string; is_beacon: boolean; benign_label?: string | null; combined_score: number }>;
    const flagged = items.filter((b) => b.is_beacon && !b.benign_label).map((b) => b.dst_ip);
    expect(flagged.sort()).toEqual(['192.0.2.100', '198.51.100.25', '203.0.113.50']);
    for (const b of items) expect(b.combined_score).toBeGreaterThanOrEqual(0.7);
  });

  it('connections, long-conns and alerts', async () => {
    const csv = await runCli(['--port', port, 'connections', '--csv', '--limit', '5']);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('Source_IP,Dest_IP,Dest_Port,Protocol,Connections,Duration,First_Seen,Last_Seen,Direction');
    expect(rows).toHaveLength(6);
    const counts = rows.slice(1).map((r) => Number(r.split(',')[4]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const filtered = await runCli(['--port', port, 'connections', '--json', '--src-ip', '10.0.0.100']);
    const pairs = JSON.parse(filtered.stdout) as Array<{ src_ip: string }>;
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.every((p) => p.src_ip === '10.0.0.100')).toBe(true);

    const long = await runCli(['--port', port, 'long-conns', '--csv']);
    expect(long.code).toBe(0);
    expect(long.stdout.split('\n')[0]).toBe('Duration,Source_IP,Dest_IP,Dest_Port,Protocol,Connections,First_Seen,Last_Seen');

    const alerts = await runCli(['--port', port, 'alerts', '--json']);
    const list = JSON.parse(alerts.stdout) as Array<{ alert_id: string; severity: string }>;
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list[0]?.alert_id).toMatch(/^beacon-/);
    // The file sink received them too.
    const lines = (await readFile(join(dir, 'alerts.json'), 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
  });

  it('config get and set, validated', async () => {
    const get = await runCli(['--port', port, 'config', 'get', 'detection.alert_threshold']);
    expect(get.stdout.trim()).toBe('0.7');
    const set = await runCli(['--port', port, 'config', 'set', 'detection.alert_threshold', '0.75']);
    expect(set.code, set.stderr).toBe(0);
    expect((await runCli(['--port', port, 'config', 'get', 'detection.alert_threshold'])).stdout.trim()).toBe('0.75');
    const bad = await runCli(['--port', port, 'config', 'set', 'detection.min_connections', 'abc']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('detection.min_connections');
  });

  it('watch redraws the top beacons and long connections, and stops cleanly', async () => {
    const r = await runCli(['--port', port, 'watch', '--interval', '0.2', '--iterations', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/BEACONS \(score >= 70%\): 3/g)).toHaveLength(2);
    expect(r.stdout).toContain('LONG CONNECTIONS (> 1h)');
    expect(r.stdout).toContain('203.0.113.50');
  });

  it('status exits non-zero when the server is offline', async () => {
    const r = await runCli(['--port', '1', 'status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ OFFLINE');
    expect(r.stdout).toContain('Cannot connect to server at http://localhost:1');
  });
});
