import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../openSource.js';
import { chunked, collect } from '../internal/testing/collect.js';
import type { SourceProblem } from '../types.js';
import { eveConnState } from './eveConnState.js';
import { generateEve, sampleLines } from './internal/testing/eveSample.js';
import { readSuricataEve } from './readSuricataEve.js';

const dir = mkdtempSync(join(tmpdir(), 'beacon-eve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2024, 2, 1, 12, 0, 0) / 1000;

describe('readSuricataEve', () => {
  it('turns each flow record of the sample into one whole connection, joining names by flow_id', async () => {
    const source = readSuricataEve(chunked(Buffer.from(`${sampleLines().join('\n')}\n`), 97));
    const events = await collect(source);
    // 9 flow records: 8 TCP/UDP/ICMP connections and one SCTP flow counted as skipped.
    expect(events).toHaveLength(8);
    expect(events[0]).toEqual({
      tsSec: T0 - 1, tsNsec: 990_000_000, srcIp: '10.1.2.3', dstIp: '10.1.0.53', srcPort: 53001, dstPort: 53, protocol: 17, direction: 'unknown',
      bytes: 86, packets: 1, tcpFlags: 0, kind: 'flow_start', node: 'eve:stream', durationSec: 0.01, connState: 'SF', serverName: 'updates.example.net',
    });
    expect(events[1]).toMatchObject({ tsSec: T0, tsNsec: 10_000_000, dstIp: '203.0.113.50', dstPort: 443, protocol: 6, bytes: 1342, packets: 9, tcpFlags: 0x1b, connState: 'SF', serverName: 'updates.example.net' });
    expect(events[1]?.durationSec).toBeCloseTo(1.5, 9);
    expect(events[2]).toMatchObject({ dstPort: 80, serverName: 'cdn.example.org' });
    expect(events[3]).toMatchObject({ dstPort: 4444, connState: 'S0', tcpFlags: 0x02, packets: 1 });
    expect(events[3]?.serverName).toBeUndefined();
    expect(events[4]).toMatchObject({ dstPort: 4444, connState: 'REJ', tcpFlags: 0x16 });
    expect(events[5]).toMatchObject({ protocol: 1, srcPort: 0, dstPort: 0, connState: 'SF' });
    expect(events[6]).toMatchObject({ srcIp: '2001:db8::5', dstIp: '2001:db8::1:0:0:80', connState: 'RSTO', durationSec: 60 });
    const stats = source.stats;
    // Suricata 8's DNS v3 record names its (unanswered) UDP flow too.
    expect(events[7]).toMatchObject({ protocol: 17, dstPort: 53, connState: 'S0', serverName: 'telemetry.example.com' });
    expect(stats).toMatchObject({ format: 'suricata-eve', gzip: false, records: 17, events: 8 });
    expect(stats.skipped).toMatchObject({ nonTcpUdp: 1, eventTypes: 8 });
    expect(stats.eve?.eventTypes).toEqual({ dns: 2, flow: 9, tls: 1, alert: 1, http: 1, fileinfo: 1, anomaly: 1, stats: 1 });
    expect(stats.eve?.names).toEqual({ joined: 4, pending: 0, dropped: 0 });
    expect(stats.problems.garbled_line).toBe(0);
  });

  it('reports malformed lines with their number and field, counts them, and reads on', async () => {
    const good = sampleLines();
    const lines = [
      good[1],
      'not json at all',
      '{"timestamp":"2024-03-01T12:00:00.000000+0000","event_type":"flow","src_ip":"10.0.0.1"',
      good[1]?.replace('"src_ip":"10.1.2.3"', '"src_ip":"10.1.2"'),
      good[1]?.replace(/"start":"[^"]+"/, '"start":"yesterday"'),
      good[1]?.replace('"bytes_toserver":86', '"bytes_toserver":-4'),
      '{"timestamp":"2024-03-01T12:00:00.000000+0000","flow_id":1}',
      '',
      good[1]?.replace('"proto":"UDP"', '"proto":"XYZ"'),
      good[4]?.replace('"tcp_flags_ts":"1b"', '"tcp_flags_ts":"zz"'),
      good[4]?.replace(/"end":"[^"]+"/, `"end":"2024-03-01T11:00:00.000000+0000"`),
      good[1],
      good[1]?.slice(0, 80),
    ];
    const problems: SourceProblem[] = [];
    const source = readSuricataEve(chunked(Buffer.from(lines.join('\n')), 50), { onProblem: (p) => problems.push(p), node: 'sensor-a' });
    const events = await collect(source);
    expect(events.map((e) => e.node)).toEqual(['sensor-a', 'sensor-a']);
    expect(problems.map((p) => [p.kind, p.line, p.message.replace(/: .*JSON.*$/, '')])).toEqual([
      ['garbled_line', 2, 'not a JSON object'],
      ['garbled_line', 3, 'bad JSON'],
      ['garbled_line', 4, 'src_ip: not an IP address'],
      ['garbled_line', 5, 'flow.start: not an EVE time (2024-03-01T12:00:05.123456+0000)'],
      ['garbled_line', 6, 'flow.bytes_toserver: not a count'],
      ['garbled_line', 7, 'event_type: missing or not a string'],
      ['garbled_line', 9, 'proto: unknown value "XYZ"'],
      ['garbled_line', 10, 'tcp.tcp_flags_ts: not a hex byte'],
      ['garbled_line', 11, 'flow.end: before flow.start'],
      ['truncated_record', 13, 'last line cut short'],
    ]);
    expect(source.stats.problems).toMatchObject({ garbled_line: 9, truncated_record: 1 });
    expect(source.stats.records).toBe(12);
  });

  it('reads a generated eve.json and eve.json.gz through openSource, auto-detected', async () => {
    const gen = generateEve(50);
    const plain = join(dir, 'eve.json');
    writeFileSync(plain, gen.text);
    writeFileSync(join(dir, 'eve.json.gz'), gzipSync(gen.text));
    for (const [name, gzip] of [['eve.json', false], ['eve.json.gz', true]] as const) {
      const source = await openSource(join(dir, name));
      const events = await collect(source);
      expect(source.stats).toMatchObject({ format: 'suricata-eve', gzip, records: gen.lines });
      const beacons = events.filter((e) => e.dstIp === '203.0.113.50' && e.dstPort === 443);
      expect(beacons).toHaveLength(gen.beacons + 1);
      expect(beacons.every((e) => e.serverName === 'updates.example.net')).toBe(true);
      expect(events.filter((e) => e.connState === 'REJ')).toHaveLength(gen.rejected + 1);
      expect(events[0]?.node).toBe(`eve:${name}`);
      expect(source.stats.problems.garbled_line).toBe(0);
    }
    // Zeek JSON lines are still Zeek: the first line decides.
    const zeek = join(dir, 'conn.json');
    writeFileSync(zeek, '{"ts":1.5,"id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"proto":"tcp"}\n');
    const z = await openSource(zeek);
    await collect(z);
    expect(z.stats.format).toBe('zeek-json');
    const forced = await openSource(plain, { format: 'eve' });
    await collect(forced);
    expect(forced.stats.format).toBe('suricata-eve');
  });

  it('keeps pending names bounded, dropping the oldest and counting it', async () => {
    const gen = generateEve(3);
    const tlsOnly = gen.text.split('\n').filter((l) => l.includes('"event_type":"tls"'));
    const source = readSuricataEve(chunked(Buffer.from(`${tlsOnly.join('\n')}\n`), 4096), { maxPendingNames: 2 });
    await collect(source);
    expect(source.stats.eve?.names).toEqual({ joined: 0, pending: 2, dropped: tlsOnly.length - 2 });
  });
});

describe('eveConnState', () => {
  it.each([
    [0x02, 0x00, 1, 0, 'S0'],
    [0x02, 0x14, 1, 1, 'REJ'],
    [0x06, 0x00, 2, 0, 'RSTOS0'],
    [0x03, 0x00, 2, 0, 'SH'],
    [0x1b, 0x1b, 5, 5, 'SF'],
    [0x1e, 0x12, 4, 3, 'RSTO'],
    [0x1a, 0x16, 4, 3, 'RSTR'],
    [0x1b, 0x12, 4, 3, 'S2'],
    [0x1a, 0x13, 4, 3, 'S3'],
    [0x1a, 0x12, 4, 3, 'S1'],
    [0x18, 0x18, 4, 3, 'OTH'],
  ])("TCP flags %i to server, %i to client, %i/%i packets -> %s", (ts, tc, pts, ptc, state) => {
    expect(eveConnState(6, ts, tc, pts, ptc)).toBe(state);
  });
  it('UDP: answered or not', () => {
    expect(eveConnState(17, 0, 0, 1, 1)).toBe('SF');
    expect(eveConnState(17, 0, 0, 1, 0)).toBe('S0');
  });
});
