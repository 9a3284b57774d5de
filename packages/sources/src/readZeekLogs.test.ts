import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector } from '@beacon/detector';
import { readZeekLogs, zeekLogFiles } from './readZeekLogs.js';
import { collect } from './internal/testing/collect.js';
import { rng } from './internal/testing/rng.js';

const T0 = 1_700_000_000;
const C2_IPS = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];
const CONN_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_pkts'];

function tsv(path: string, fields: string[], rows: string[][]): string {
  return [`#separator \\x09`, '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, `#fields\t${fields.join('\t')}`, ...rows.map((r) => r.join('\t')), '#close\t2024-01-01-00-00-00', ''].join('\n');
}

/** A generated Zeek directory with known joins: which uid has which name. */
interface Generated {
  dir: string;
  names: Map<string, string>;
  conns: number;
}

async function generate(): Promise<Generated> {
  const dir = await mkdtemp(join(tmpdir(), 'names-zeek-'));
  const r = rng(3);
  const conn: string[][] = [];
  const ssl: string[][] = [];
  const http: Record<string, unknown>[] = [];
  const names = new Map<string, string>();
  let n = 0;
  // The beacon: 180 s +-20 % over 5 CDN addresses for 8 h, TLS with SNI.
  for (let t = T0; t < T0 + 8 * 3600; t += 180 * (0.8 + 0.4 * r())) {
    const uid = `Cb${(n++).toString(36).padStart(8, '0')}`;
    const ip = C2_IPS[Math.floor(r() * C2_IPS.length)] as string;
    conn.push([t.toFixed(6), uid, '10.3.0.5', String(40_000 + n), ip, '443', 'tcp', 'ssl', '0.4', '517', '3100', 'SF', '9']);
    ssl.push([(t + 0.05).toFixed(6), uid, '10.3.0.5', String(40_000 + n), ip, '443', 'TLSv13', 'c2.example.net']);
    names.set(uid, 'c2.example.net');
  }
  // Plain HTTP with a Host header (JSON http.log), and a connection named only by DNS.
  for (let i = 0; i < 3; i++) {
    const uid = `Ch${i}`;
    const t = T0 + 100 + i * 1000;
    conn.push([t.toFixed(6), uid, '10.3.0.6', String(50_000 + i), '192.0.2.80', '80', 'tcp', 'http', '0.2', '300', '900', 'SF', '5']);
    http.push({ ts: t + 0.01, uid, 'id.orig_h': '10.3.0.6', host: 'Updates.Example.ORG:80', method: 'GET' });
    names.set(uid, 'updates.example.org');
  }
  conn.push([(T0 + 50).toFixed(6), 'Cdns0', '10.3.0.7', '51000', '203.0.113.44', '8443', 'tcp', '-', '1.0', '100', '100', 'SF', '4']);
  names.set('Cdns0', 'raw.example.com');
  conn.sort((a, b) => Number(a[0]) - Number(b[0]));
  // ssl.log rows in reverse order: a uid's rows may come in any order across files.
  await writeFile(join(dir, 'conn.log'), tsv('conn', CONN_FIELDS, conn));
  await writeFile(join(dir, 'ssl.log.gz'), gzipSync(tsv('ssl', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'server_name'], ssl.reverse())));
  await writeFile(join(dir, 'http.log'), `${http.map((h) => JSON.stringify(h)).join('\n')}\n`);
  await writeFile(
    join(dir, 'dns.log'),
    tsv('dns', ['ts', 'uid', 'query', 'answers', 'TTLs'], [[(T0 + 40).toFixed(6), 'Dq1', 'raw.example.com', 'raw.cdn.example.net,203.0.113.44', '300.000000,60.000000']]),
  );
  await writeFile(join(dir, 'notes.txt'), 'not a log');
  return { dir, names, conns: conn.length };
}

describe('readZeekLogs: conn.log joined with ssl.log, http.log and dns.log', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generate();
  });
  afterAll(async () => {
    await rm(g.dir, { recursive: true, force: true });
  });

  it('finds the logs of a directory by name', async () => {
    expect((await zeekLogFiles([g.dir])).map((f) => f.kind)).toEqual(['conn', 'dns', 'http', 'ssl']);
  });

  it('names every conn row by uid (SNI, Host) or by a DNS answer, whatever the row order', async () => {
    const source = readZeekLogs([g.dir]);
    const events = await collect(source);
    expect(events).toHaveLength(g.conns);
    const named = events.filter((e) => e.serverName !== undefined);
    expect(named).toHaveLength(g.conns);
    expect(events.filter((e) => e.dstIp === '192.0.2.80').map((e) => e.serverName)).toEqual(['updates.example.org', 'updates.example.org', 'updates.example.org']);
    expect(events.find((e) => e.dstIp === '203.0.113.44')?.serverName).toBe('raw.example.com');
    expect(source.stats.names).toMatchObject({ tlsServerNames: g.conns - 4, httpHosts: 3, dnsAnswers: 1, dnsNamed: 1, evicted: 0 });
  });

  it('target: the rotating beacon from conn+ssl logs is one name-keyed finding', async () => {
    const events = await collect(readZeekLogs([join(g.dir, 'conn.log'), join(g.dir, 'ssl.log.gz')]));
    const d = createDetector({ now: () => T0 + 8 * 3600, config: { maxHistory: 512 } });
    expect(d.ingestBatch(events).rejected).toBe(0);
    d.analyze();
    const named = d.beacons().filter((b) => b.dstIps !== undefined);
    expect(named.map((b) => b.pairKey)).toEqual(['10.3.0.5->c2.example.net:443/TCP']);
    expect([...(named[0]?.dstIps ?? [])].sort()).toEqual(C2_IPS);
  });

  it('the uid table is bounded: beyond maxNames the oldest names are forgotten and counted', async () => {
    const source = readZeekLogs([g.dir], { maxNames: 10 });
    const events = await collect(source);
    // held in two halves of 5: between 6 and 10 of the newest are kept, every other one counted
    expect(source.stats.names.evicted).toBeGreaterThanOrEqual(g.conns - 1 - 10);
    expect(source.stats.names.evicted).toBeLessThanOrEqual(g.conns - 1 - 6);
    expect(events.filter((e) => e.serverName !== undefined).length).toBeLessThan(g.conns);
  });
});
