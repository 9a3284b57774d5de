import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type ServerProcess } from './helpers/cli.js';

// Issue 17: every start-up failure of `beacon server` is one `beacon: ...` line naming the key
// (defect 10), a second server on the same database refuses to start and names the holder
// (defect 8), and `beacon demo` points at a file the user has (not ../shared).
describe('beacon server start-up failures', { timeout: 120_000 }, () => {
  let dir: string;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-harden-startup-'));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const config = async (name: string, lines: string[]): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, lines.join('\n'));
    return file;
  };
  const expectOneLine = (stderr: string, key: RegExp): void => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^beacon: /);
    expect(lines[0]).toMatch(key);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  };

  it('defect 10: logging.file in a missing directory is one line naming logging.file', async () => {
    const file = await config('log.yaml', [`logging: { file: ${JSON.stringify(join(dir, 'missing', 'beacon.log'))} }`, 'persistence: { enabled: false }']);
    const r = await runCli(['server', '-c', file]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /logging\.file: cannot open .*missing.*beacon\.log/);
  });

  it('defect 8: a second server on the same db_path refuses to start, naming the holder; the first keeps running', async () => {
    const db = join(dir, 'shared.db');
    const file = await config('db.yaml', ['control_plane: { listen_port: 0 }', `persistence: { db_path: ${JSON.stringify(db)} }`, 'logging: { level: error }']);
    const first = await startServer(['-c', file]);
    servers.push(first);
    const second = await runCli(['server', '-c', file]);
    expect(second.code).toBe(1);
    expectOneLine(second.stderr, /persistence\.db_path: .*shared\.db is in use by another Beacon process \(pid \d+/);
    expect((await fetch(`${first.url}/api/v1/health`)).status).toBe(200);
    // the port in use: one line naming control_plane.listen_port
    const busy = await config('busy.yaml', [`control_plane: { listen_port: ${first.port} }`, 'persistence: { enabled: false }', 'logging: { level: error }']);
    const third = await runCli(['server', '-c', busy]);
    expect(third.code).toBe(1);
    expectOneLine(third.stderr, /control_plane\.listen_port: .* is already in use/);
  });

  it('beacon demo points at a conn.log it wrote, which beacon analyze reads', async () => {
    const text = await runCli(['demo', '--duration', '600', '--speed', '3000', '--noise', '1'], { timeoutMs: 90_000 });
    expect(text.stdout + text.stderr).not.toContain('shared');
    const demo = await runCli(['demo', '--duration', '3600', '--speed', '3000', '--noise', '4', '--json'], { timeoutMs: 90_000 });
    const out = JSON.parse(demo.stdout) as { conn_log: string; beacons: Array<{ dst_ip: string; is_beacon: boolean }> };
    expect(text.stdout).toContain(`beacon analyze ${out.conn_log}`);
    expect(existsSync(out.conn_log)).toBe(true);
    const hunt = await runCli(['analyze', out.conn_log, '--json'], { timeoutMs: 90_000 });
    expect(hunt.code, hunt.stderr).toBe(0);
    const found = new Set((JSON.parse(hunt.stdout) as Array<{ dst_ip: string; is_beacon: boolean }>).filter((r) => r.is_beacon).map((r) => r.dst_ip));
    const planted = out.beacons.filter((b) => b.is_beacon).map((b) => b.dst_ip);
    expect(planted.length).toBeGreaterThan(0);
    for (const ip of planted) expect(found, ip).toContain(ip);
  });
});
