import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { findPair, type AnalyzeItem } from '../datasets/datasets.js';

const T0 = 1_700_000_000;

/** mulberry32, so the files are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'history', 'orig_pkts'];

/** A Zeek conn.log: one row per connection of each train. */
function zeekLog(): string {
  const r = rng(12);
  const rows: string[] = [];
  const train = (n: number, gap: () => number, row: (t: number, i: number) => (string | number)[]): void => {
    let t = T0;
    for (let i = 0; i < n; i++) {
      rows.push([t.toFixed(6), `C${rows.length}`, ...row(t, i)].join('\t'));
      t += gap();
    }
  };
  // outbound beacon, 60 s +-5 %: a beacon
  train(40, () => 60 * (0.95 + 0.1 * r()), (_t, i) => ['10.1.1.5', 40000 + i, '203.0.113.50', 443, 'tcp', '0.2', 310, 1200, 'SF', 'T', 'F', 'ShADadFf', 6]);
  // a telnet scanner calling the watched host (a public address Zeek knows is local) every 5-8 s
  train(60, () => 5 + 3 * r(), (_t, i) => ['45.140.140.75', 50000 + i, '147.32.81.167', 23, 'tcp', '0.000010', 0, 0, 'S0', 'F', 'T', 'S', 2]);
  // an implant retrying a refused server every 0.4-1.2 s: a reconnect loop
  train(150, () => 0.4 + 0.8 * r(), (_t, i) => ['10.1.1.5', 41000 + i, '41.108.179.197', 1177, 'tcp', '0.000200', 0, 0, 'REJ', 'T', 'F', 'Sr', 1]);
  // successful connections every 0.5 s: too fast for a beacon
  train(100, () => 0.5 * (0.98 + 0.04 * r()), (_t, i) => ['10.1.1.5', 42000 + i, '198.51.100.7', 8080, 'tcp', '0.01', 200, 200, 'SF', 'T', 'F', 'ShADadFf', 5]);
  // NTP: the benign baseline
  train(40, () => 64 * (0.99 + 0.02 * r()), (_t, i) => ['10.1.1.5', 123, '192.0.2.123', 123, 'udp', '0.01', 48, 48, 'SF', 'T', 'F', 'Dd', 1 + 0 * i]);
  rows.sort((a, b) => Number(a.split('\t')[0]) - Number(b.split('\t')[0]));
  return ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields\t${FIELDS.join('\t')}`, ...rows, ''].join('\n');
}

/** A classic pcap of raw IPv4 packets (link type 101). */
function pcap(packets: Array<{ t: number; src: string; dst: string; sport: number; dport: number; flags: number; payload?: number }>): Buffer {
  const g = Buffer.alloc(24);
  g.writeUInt32LE(0xa1b2c3d4, 0);
  g.writeUInt16LE(2, 4);
  g.writeUInt16LE(4, 6);
  g.writeUInt32LE(65535, 16);
  g.writeUInt32LE(101, 20);
  const parts = [g];
  const ip4 = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  for (const p of [...packets].sort((a, b) => a.t - b.t)) {
    const payload = p.payload ?? 0;
    const ip = Buffer.alloc(40 + payload);
    ip.fill(0x61, 40);
    ip[0] = 0x45;
    ip.writeUInt16BE(40 + payload, 2);
    ip[8] = 64;
    ip[9] = 6;
    ip.writeUInt32BE(ip4(p.src), 12);
    ip.writeUInt32BE(ip4(p.dst), 16);
    ip.writeUInt16BE(p.sport, 20);
    ip.writeUInt16BE(p.dport, 22);
    ip[32] = 5 << 4;
    ip[33] = p.flags;
    const h = Buffer.alloc(16);
    const sec = Math.floor(p.t);
    h.writeUInt32LE(sec, 0);
    h.writeUInt32LE(Math.round((p.t - sec) * 1e6), 4);
    h.writeUInt32LE(ip.length, 8);
    h.writeUInt32LE(ip.length, 12);
    parts.push(h, ip);
  }
  return Buffer.concat(parts);
}

const SYN = 0x02;
const ACK = 0x10;
const RST = 0x04;
const FIN = 0x01;
const PSH = 0x08;

function capture(): Buffer {
  const r = rng(7);
  const pk: Parameters<typeof pcap>[0] = [];
  // SYNs to 203.0.113.77:4444 answered by RST every 0.2-0.4 s: a sub-second reconnect loop
  let t = T0;
  for (let i = 0; i < 150; i++) {
    const sport = 30000 + i;
    pk.push({ t, src: '10.2.2.2', dst: '203.0.113.77', sport, dport: 4444, flags: SYN });
    pk.push({ t: t + 0.0005, src: '203.0.113.77', dst: '10.2.2.2', sport: 4444, dport: sport, flags: RST | ACK });
    t += 0.2 + 0.2 * r();
  }
  // a working 5 s beacon over HTTPS
  t = T0;
  for (let i = 0; i < 30; i++) {
    const sport = 20000 + i;
    const c = { src: '10.2.2.2', dst: '203.0.113.80', sport, dport: 443 };
    const s = { src: '203.0.113.80', dst: '10.2.2.2', sport: 443, dport: sport };
    pk.push({ t, ...c, flags: SYN }, { t: t + 0.01, ...s, flags: SYN | ACK }, { t: t + 0.02, ...c, flags: ACK });
    pk.push({ t: t + 0.03, ...c, flags: PSH | ACK, payload: 220 }, { t: t + 0.05, ...s, flags: PSH | ACK, payload: 90 });
    pk.push({ t: t + 0.06, ...c, flags: FIN | ACK }, { t: t + 0.07, ...s, flags: FIN | ACK }, { t: t + 0.08, ...c, flags: ACK });
    t += 5 * (0.97 + 0.06 * r());
  }
  // an outside host sending unanswered SYNs to our SSH port every ~5 s
  t = T0;
  for (let i = 0; i < 40; i++) {
    pk.push({ t, src: '198.51.100.9', dst: '10.2.2.2', sport: 60000 + i, dport: 22, flags: SYN });
    t += 5 * (0.97 + 0.06 * r());
  }
  return pcap(pk);
}

describe('beacon analyze --json --all: direction, kinds and reasons', () => {
  let dir: string;
  let zeek: AnalyzeItem[];
  let fromPcap: AnalyzeItem[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-realnet-'));
    await writeFile(join(dir, 'conn.log'), zeekLog());
    await writeFile(join(dir, 'capture.pcap'), capture());
    const [a, b] = await Promise.all([runCli(['analyze', join(dir, 'conn.log'), '--json', '--all']), runCli(['analyze', join(dir, 'capture.pcap'), '--json', '--all'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    zeek = JSON.parse(a.stdout) as AnalyzeItem[];
    fromPcap = JSON.parse(b.stdout) as AnalyzeItem[];
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('Zeek log: direction from local_orig / local_resp and internal_networks', () => {
    expect(findPair(zeek, '10.1.1.5', '203.0.113.50', 443)).toMatchObject({ direction: 'outbound', kind: 'beacon', is_beacon: true, reason: null });
    const scanner = findPair(zeek, '45.140.140.75', '147.32.81.167', 23);
    expect(scanner).toMatchObject({ direction: 'inbound', is_beacon: false });
    expect(['inbound', 'score below alert_threshold']).toContain(scanner?.reason);
  });

  it('Zeek log: a sub-second REJ loop is a reconnect finding; fast successful connections are not beacons', () => {
    const loop = findPair(zeek, '10.1.1.5', '41.108.179.197', 1177);
    expect(loop).toMatchObject({ direction: 'outbound', kind: 'reconnect', is_beacon: true, reason: null });
    expect(loop?.interval ?? loop?.connection_count).toBeLessThan(1.2);
    expect(findPair(zeek, '10.1.1.5', '198.51.100.7', 8080)).toMatchObject({ kind: 'beacon', is_beacon: false, reason: 'below min_beacon_interval' });
    expect(findPair(zeek, '10.1.1.5', '192.0.2.123', 123)).toMatchObject({ kind: 'periodic', benign_label: 'NTP' });
  });

  it('pcap: SYNs answered by RST make a reconnect loop; the working beacon is a beacon; the SYN scan is inbound', () => {
    const loop = findPair(fromPcap, '10.2.2.2', '203.0.113.77', 4444);
    expect(loop).toMatchObject({ direction: 'outbound', kind: 'reconnect', is_beacon: true, reason: null });
    expect(loop?.connection_count).toBe(150);
    expect(findPair(fromPcap, '10.2.2.2', '203.0.113.80', 443)).toMatchObject({ direction: 'outbound', kind: 'beacon', is_beacon: true });
    const scan = findPair(fromPcap, '198.51.100.9', '10.2.2.2', 22);
    expect(scan).toMatchObject({ direction: 'inbound', kind: 'reconnect', is_beacon: false });
    expect(['inbound', 'score below alert_threshold']).toContain(scan?.reason);
  });

  it('every row: a non-finding has a reason and a severity consistent with it', () => {
    for (const item of [...zeek, ...fromPcap]) {
      expect(item.is_beacon).toBe(item.reason === null);
      if (item.reason === 'score below alert_threshold') expect(item.severity).toBe('LOW');
    }
  });
});
