import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEve } from '../../packages/sources/src/eve/internal/testing/eveSample.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'beacon-eve-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  combined_score: number;
  connection_count: number;
}

// `beacon analyze` on a Suricata eve.json.gz, recognised by content like Zeek logs and captures.
describe('beacon analyze on Suricata EVE', () => {
  it('finds the 60 s TLS beacon in a gzip eve.json written by a sensor', async () => {
    const gen = generateEve(40);
    const file = join(dir, 'eve.json.gz');
    writeFileSync(file, gzipSync(gen.text));
    const run = await runCli(['analyze', '--json', '--all', file], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { beacons?: Row[] } | Row[];
    const rows = Array.isArray(out) ? out : (out.beacons ?? []);
    const beacon = rows.find((r) => r.dst_ip === '203.0.113.50' && r.dst_port === 443);
    expect(beacon).toBeDefined();
    expect(beacon?.connection_count).toBe(gen.beacons + 1);
    expect(beacon?.combined_score).toBeGreaterThanOrEqual(0.7);
    expect(run.stderr).toContain('suricata-eve (gzip)');
  }, 120_000);
});
