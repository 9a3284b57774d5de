import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beaconRowSchema } from '@beacon/hunt';
import { mulberry32 } from '@beacon/synth';
import { runCli } from './helpers/cli.js';

const T0 = 1_700_000_000;
const C2_IPS = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];
const SITE_IPS = ['192.0.2.21', '192.0.2.22', '192.0.2.23', '192.0.2.24'];

const rng = mulberry32;

function tsv(path: string, fields: string[], rows: string[][]): string {
  return ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, `#fields\t${fields.join('\t')}`, ...rows.map((r) => r.join('\t')), ''].join('\n');
}

describe('beacon analyze on a Zeek log directory (conn.log + ssl.log)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'names-e2e-'));
    const r = rng(11);
    const conn: string[][] = [];
    const ssl: string[][] = [];
    let n = 0;
    const add = (t: number, src: string, dst: string, name: string, bytes: number): void => {
      const uid = `C${(n++).toString(36)}`;
      conn.push([t.toFixed(6), uid, src, String(30_000 + n), dst, '443', 'tcp', 'ssl', '0.5', String(bytes), '4000', 'SF', '8']);
      ssl.push([(t + 0.03).toFixed(6), uid, name]);
    };
    for (let t = T0; t < T0 + 8 * 3600; t += 240 * (0.8 + 0.4 * r())) add(t, '10.4.0.5', C2_IPS[Math.floor(r() * 5)] as string, 'c2.example.net', 520 + Math.floor(r() * 30));
    for (let t = T0 + r() * 600; t < T0 + 8 * 3600; t += -Math.log(1 - r()) * 1200) {
      let u = t;
      for (let i = 0, k = 3 + Math.floor(r() * 20); i < k; i++) {
        u += r() < 0.7 ? r() * 3 : r() * 90;
        add(u, '10.4.0.8', SITE_IPS[Math.floor(r() * 4)] as string, 'www.news.example', Math.floor(500 + r() * 60_000));
      }
    }
    conn.sort((a, b) => Number(a[0]) - Number(b[0]));
    await writeFile(join(dir, 'conn.log'), tsv('conn', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_pkts'], conn));
    await writeFile(join(dir, 'ssl.log'), tsv('ssl', ['ts', 'uid', 'server_name'], ssl));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--json: the CDN-rotating beacon is one row with server_name and dst_ips; browsing is not flagged', async () => {
    const run = await runCli(['analyze', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = (JSON.parse(run.stdout) as unknown[]).map((x) => beaconRowSchema.parse(x));
    expect(rows.map((x) => x.pair_key)).toEqual(['10.4.0.5->c2.example.net:443/TCP']);
    expect(rows[0]?.server_name).toBe('c2.example.net');
    expect([...(rows[0]?.dst_ips ?? [])].sort()).toEqual(C2_IPS);
  });

  it('the table has a NAME column; CSV gains Server_Name and Dest_IPs', async () => {
    const table = await runCli(['analyze', join(dir, 'conn.log'), join(dir, 'ssl.log')]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/SOURCE IP\s+NAME\s+DEST IP/);
    expect(table.stdout).toMatch(/c2\.example\.net\s+198\.51\.100\.1\d \+4/);
    const csv = await runCli(['analyze', dir, '--csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/,Server_Name,Dest_IPs$/);
  });
});
