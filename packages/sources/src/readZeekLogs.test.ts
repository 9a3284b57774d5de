import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  // ssl.log rows out of order within a few minutes: a uid's rows may come before or after its conn row.
  for (let i = 0; i + 1 < ssl.length; i += 2) [ssl[i], ssl[i + 1]] = [ssl[i + 1] as string[], ssl[i] as string[]];
  await writeFile(join(dir, 'conn.log'), tsv('conn', CONN_FIELDS, conn));
  await writeFile(join(dir, 'ssl.log.gz'), gzipSync(tsv('ssl', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'server_name'], ssl)));
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

  it('names every conn row by uid (SNI, Host) or by a DNS answer, rows out of order within nameSkewSec', async () => {
    // the ssl rows of consecutive beats (about 180 s apart) are swapped
    const source = readZeekLogs([g.dir], { nameSkewSec: 300 });
    const events = await collect(source);
    expect(events).toHaveLength(g.conns);
    const named = events.filter((e) => e.serverName !== undefined);
    expect(named).toHaveLength(g.conns);
    expect(events.filter((e) => e.dstIp === '192.0.2.80').map((e) => e.serverName)).toEqual(['updates.example.org', 'updates.example.org', 'updates.example.org']);
    expect(events.find((e) => e.dstIp === '203.0.113.44')?.serverName).toBe('raw.example.com');
    expect(source.stats.names).toMatchObject({ tlsServerNames: g.conns - 4, httpHosts: 3, dnsAnswers: 1, dnsNamed: 1, evicted: 0, joined: g.conns - 1, unjoined: 0 });
  });

  it('target: the rotating beacon from conn+ssl logs is one name-keyed finding', async () => {
    const events = await collect(readZeekLogs([join(g.dir, 'conn.log'), join(g.dir, 'ssl.log.gz')], { nameSkewSec: 300 }));
    const d = createDetector({ now: () => T0 + 8 * 3600, config: { maxHistory: 512 } });
    expect(d.ingestBatch(events).rejected).toBe(0);
    d.analyze();
    const named = d.beacons().filter((b) => b.dstIps !== undefined);
    expect(named.map((b) => b.pairKey)).toEqual(['10.3.0.5->c2.example.net:443/TCP']);
    expect([...(named[0]?.dstIps ?? [])].sort()).toEqual(C2_IPS);
  });

  it('the join is streamed: read a few KiB at a time, 8 names waiting at most suffice', async () => {
    const source = readZeekLogs([g.dir], { maxNames: 8, chunkSize: 2048, nameSkewSec: 300 });
    const events = await collect(source);
    expect(events.filter((e) => e.serverName !== undefined)).toHaveLength(g.conns);
    expect(source.stats.names).toMatchObject({ joined: g.conns - 1, unjoined: 0, evicted: 0 });
  });

  it('a name row later than nameSkewSec is not read in time: its connection goes unnamed, counted', async () => {
    const source = readZeekLogs([g.dir], { nameSkewSec: 60 });
    const events = await collect(source);
    const unnamed = events.filter((e) => e.serverName === undefined).length;
    expect(unnamed).toBeGreaterThan(10);
    expect(source.stats.names).toMatchObject({ joined: g.conns - 1 - unnamed, unjoined: unnamed, evicted: 0 });
  });

  it('names waiting are bounded: beyond maxNames the oldest are dropped and counted', async () => {
    // read a day ahead: every ssl name waits at once
    const source = readZeekLogs([g.dir], { maxNames: 10, nameSkewSec: 86_400 });
    const events = await collect(source);
    expect(source.stats.names.evicted).toBe(g.conns - 1 - 10);
    expect(source.stats.names.joined).toBe(10);
    expect(events.filter((e) => e.serverName !== undefined && e.dstIp !== '203.0.113.44')).toHaveLength(10);
  });
});

/**
 * Zeek's own order: a conn.log row is written when its connection ends (ts = its start), an
 * ssl.log row just after the handshake. `n` connections, every one named by ssl.log.
 */
async function generateLarge(n: number): Promise<{ dir: string; longUid: string; orphanUid: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'names-zeek-large-'));
  const r = rng(11);
  const conn: Array<{ end: number; line: string }> = [];
  const ssl: Array<{ ts: number; line: string }> = [];
  const add = (uid: string, start: number, duration: number, p: number): void => {
    const src = `10.${(p >> 16) & 255}.${(p >> 8) & 255}.${p & 255}`;
    const dst = `198.51.100.${p % 250}`;
    conn.push({ end: start + duration, line: `${start.toFixed(6)}\t${uid}\t${src}\t${40_000 + (p % 20_000)}\t${dst}\t443\ttcp\tssl\t${duration.toFixed(6)}\t517\t3100\tSF\t9\n` });
    const t = start + 0.02 + r() * 0.3;
    ssl.push({ ts: t, line: `${t.toFixed(6)}\t${uid}\t${src}\t${40_000 + (p % 20_000)}\t${dst}\t443\tTLSv13\thost${p % 5000}.example.net\n` });
  };
  for (let i = 0; i < n; i++) add(`C${i.toString(36)}`, T0 + (i / n) * 86_400 + r() * 2, r() < 0.01 ? r() * 1800 : r() * 20, i);
  // a connection open 2 h, and an ssl row whose connection is missing from conn.log
  add('Clong', T0 + 3600, 7200, 7);
  const orphanT = T0 + 7200.5;
  ssl.push({ ts: orphanT, line: `${orphanT.toFixed(6)}\tCorphan\t10.9.9.9\t41000\t198.51.100.1\t443\tTLSv13\torphan.example.net\n` });
  conn.sort((a, b) => a.end - b.end);
  ssl.sort((a, b) => a.ts - b.ts);
  const head = (path: string, fields: string[]): string => tsv(path, fields, []).split('#close')[0] as string;
  await writeFile(join(dir, 'conn.log'), head('conn', CONN_FIELDS) + conn.map((c) => c.line).join(''));
  await writeFile(join(dir, 'ssl.log'), head('ssl', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'server_name']) + ssl.map((c) => c.line).join(''));
  return { dir, longUid: 'Clong', orphanUid: 'Corphan' };
}

describe('readZeekLogs: the streamed join on a directory larger than any name table', () => {
  const N = 300_000; // more named connections than the 262,144 uids the join once held
  let dir: string;
  beforeAll(async () => {
    dir = (await generateLarge(N)).dir;
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names every connection, holding at most 2,000 names waiting', async () => {
    for (const options of [{}, { maxNames: 2000 }]) {
      const source = readZeekLogs([dir], options);
      let named = 0;
      let total = 0;
      let wrong = 0;
      for await (const batch of source) {
        for (const e of batch) {
          total++;
          if (e.serverName === undefined) continue;
          named++;
          const p = Number(e.srcIp.split('.').reduce((a, x) => (a << 8) | Number(x), 0) & 0xffffff);
          if (e.serverName !== `host${p % 5000}.example.net`) wrong++;
        }
      }
      expect(total).toBe(N + 1);
      // all but the 2-hour connection, whose conn row came 2 h after its ssl row (window 1 h)
      expect(named).toBe(N);
      expect(wrong).toBe(0);
      expect(source.stats.names).toMatchObject({ tlsServerNames: N + 2, joined: N, unjoined: 2, evicted: 0 });
    }
  }, 60_000);

  it('a longer window joins the long connection too', async () => {
    const source = readZeekLogs([dir], { nameWindowSec: 3 * 3600, maxNames: 5000 });
    const events = await collect(source);
    expect(events.filter((e) => e.serverName !== undefined)).toHaveLength(N + 1);
    expect(source.stats.names).toMatchObject({ joined: N + 1, unjoined: 1, evicted: 0 });
  }, 60_000);
});

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const BENIGN = resolve(repoRoot, '../shared/datasets/stratosphere-008-benign-day/conn.log.labeled');

describe('readZeekLogs: a real conn.log in the order Zeek wrote it', () => {
  it.skipIf(!existsSync(BENIGN))('joins an ssl.log made from its TLS rows, streamed in small chunks', async () => {
    // 24 h of a real host: conn rows come when connections end (up to 6 h after their ts).
    const lines = readFileSync(BENIGN, 'latin1').split('\n');
    const fields = (lines.find((l) => l.startsWith('#fields')) ?? '').split('\t').slice(1);
    const at = (f: string): number => fields.indexOf(f);
    const rows = lines.filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
    const keyOf = (ts: string, src: string, sport: string): string => `${ts}|${src}|${sport}`;
    const expected = new Map<string, string>();
    const lag = new Map<string, number>();
    const ssl: Array<{ ts: number; line: string }> = [];
    let newest = -Infinity;
    for (const r of rows) {
      const ts = Number(r[at('ts')]);
      newest = Math.max(newest, ts);
      if (!(r[at('service')] ?? '').includes('ssl')) continue;
      const uid = r[at('uid')] as string;
      const name = `n-${uid.toLowerCase()}.example.net`;
      const k = keyOf(r[at('ts')] as string, r[at('id.orig_h')] as string, r[at('id.orig_p')] as string);
      expected.set(k, name);
      lag.set(k, newest - ts);
      const t = ts + 0.05;
      ssl.push({ ts: t, line: `${t.toFixed(6)}\t${uid}\t${name}` });
    }
    ssl.sort((a, b) => a.ts - b.ts);
    expect(expected.size).toBeGreaterThan(500);
    const dir = await mkdtemp(join(tmpdir(), 'names-zeek-real-'));
    try {
      const sslPath = join(dir, 'ssl.log');
      await writeFile(sslPath, tsv('ssl', ['ts', 'uid', 'server_name'], ssl.map((s) => s.line.split('\t'))));
      const eventKey = (e: { tsSec: number; tsNsec: number; srcIp: string; srcPort: number }): string =>
        keyOf(`${e.tsSec}.${String(Math.round(e.tsNsec / 1000)).padStart(6, '0')}`, e.srcIp, String(e.srcPort));
      for (const windowSec of [3600, 600]) {
        const source = readZeekLogs([BENIGN, sslPath], { chunkSize: 8192, maxNames: 64, nameWindowSec: windowSec });
        const events = await collect(source);
        expect(events).toHaveLength(rows.length);
        let joined = 0;
        for (const e of events) {
          const k = eventKey(e);
          const want = expected.get(k);
          if (want === undefined) {
            expect(e.serverName).toBeUndefined();
            continue;
          }
          if (e.serverName === want) joined++;
          else {
            // only a connection whose row came later than the window may lose its name
            expect(e.serverName).toBeUndefined();
            expect(lag.get(k)).toBeGreaterThan(windowSec - 120);
          }
        }
        expect(source.stats.names).toMatchObject({ joined, unjoined: expected.size - joined, evicted: 0 });
        if (windowSec === 3600) expect(joined).toBe(expected.size);
        else expect(joined).toBeLessThan(expected.size);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('readZeekLogs: the streamed join across rotated logs', () => {
  it('reads rotated conn/ssl/http logs (gzip, JSON with ISO times) in order as one stream each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'names-zeek-rotated-'));
    try {
      const hours = 3;
      const perHour = 400;
      let n = 0;
      for (let h = 0; h < hours; h++) {
        const conn: string[][] = [];
        const ssl: string[][] = [];
        const http: string[] = [];
        for (let i = 0; i < perHour; i++) {
          const t = T0 + h * 3600 + (i * 3600) / perHour;
          const uid = `Cr${(n++).toString(36)}`;
          const tlsRow = i % 4 !== 0;
          conn.push([t.toFixed(6), uid, '10.4.0.1', String(30_000 + i), '192.0.2.9', tlsRow ? '443' : '80', 'tcp', tlsRow ? 'ssl' : 'http', '1.0', '10', '10', 'SF', '3']);
          if (tlsRow) ssl.push([(t + 0.1).toFixed(6), uid, 'tls.example.com']);
          else http.push(JSON.stringify({ ts: new Date((t + 0.1) * 1000).toISOString(), uid, host: 'web.example.com:80' }));
        }
        const stamp = `${String(h).padStart(2, '0')}:00:00-${String(h + 1).padStart(2, '0')}:00:00`;
        await writeFile(join(dir, `conn.${stamp}.log.gz`), gzipSync(tsv('conn', CONN_FIELDS, conn)));
        await writeFile(join(dir, `ssl.${stamp}.log.gz`), gzipSync(tsv('ssl', ['ts', 'uid', 'server_name'], ssl)));
        await writeFile(join(dir, `http.${stamp}.log`), `${http.join('\n')}\n`);
      }
      // small chunks and few names waiting: the join has to move through the files as it goes
      const source = readZeekLogs([dir], { chunkSize: 4096, maxNames: 64 });
      const events = await collect(source);
      expect(events).toHaveLength(n);
      expect(events.filter((e) => e.dstPort === 443).every((e) => e.serverName === 'tls.example.com')).toBe(true);
      expect(events.filter((e) => e.dstPort === 80).every((e) => e.serverName === 'web.example.com')).toBe(true);
      expect(source.stats.names).toMatchObject({ joined: n, unjoined: 0, evicted: 0, tlsServerNames: (n * 3) / 4, httpHosts: n / 4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
