import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type ServerProcess } from './helpers/cli.js';

interface Status {
  events_received: number;
  events_rejected_by_reason: Record<string, number>;
  storage: { pair_count: number; pairs_count: number };
  analyzer: { total_runs: number; analysis_runs: number; total_beacons_detected: number; beacons_detected: number };
}

// Issue 19: simulated traffic must end at "now", so that after a restart with persistence the
// restored pairs' newest events are not in the future and fresh events are not refused as too late.
describe('beacon simulate, restart with persistence, simulate again', { timeout: 180_000 }, () => {
  let dir: string | undefined;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const simulate = async (port: number, duration: number, speed: number): Promise<number> => {
    const sim = await runCli(['--port', String(port), 'simulate', '--duration', String(duration), '--speed', String(speed), '--tick', '0.1', '--noise', '4', '--json'], { timeoutMs: 90_000 });
    expect(sim.code, sim.stderr).toBe(0);
    return (JSON.parse(sim.stdout) as { eventsSent: number }).eventsSent;
  };
  const status = async (port: number): Promise<Status> => {
    const res = await runCli(['--port', String(port), 'status', '--json']);
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout) as Status;
  };

  it('rejects nothing as too late, and the original names carry the same non-zero values', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-compose-restart-'));
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        'control_plane: { listen_address: 127.0.0.1, listen_port: 0 }',
        'detection: { analysis_interval: 1 }',
        `persistence: { enabled: true, db_path: ${JSON.stringify(join(dir, 'beacon.db'))}, flush_interval: 1 }`,
        'logging: { level: warning }',
      ].join('\n'),
    );
    server = await startServer(['-c', config]);
    // An hour of traffic at 3000x; it must end at the wall clock, not an hour ahead of it.
    expect(await simulate(server.port, 3600, 3000)).toBeGreaterThan(200);
    expect(await server.stop()).toBe(0);

    server = await startServer(['-c', config]);
    const restored = await status(server.port);
    expect(restored.storage.pair_count).toBeGreaterThan(0);
    // The same pairs again, as live traffic would continue them: the last minute, in real time x 6.
    // Had the first run stamped its events ahead of the clock, every one of these would be too late.
    expect(await simulate(server.port, 60, 6)).toBeGreaterThan(0);
    const analyzed = await runCli(['--port', String(server.port), 'analyze']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const s = await status(server.port);
    expect(s.events_received).toBeGreaterThan(restored.events_received);
    expect(s.events_rejected_by_reason.too_late ?? 0).toBe(0);
    expect(s.storage.pairs_count).toBeGreaterThan(0);
    expect(s.storage.pairs_count).toBe(s.storage.pair_count);
    expect(s.analyzer.analysis_runs).toBeGreaterThan(0);
    expect(s.analyzer.analysis_runs).toBe(s.analyzer.total_runs);
    expect(s.analyzer.beacons_detected).toBeGreaterThan(0);
    expect(s.analyzer.beacons_detected).toBe(s.analyzer.total_beacons_detected);
  });
});
