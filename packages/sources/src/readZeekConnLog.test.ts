import { gzipSync } from 'node:zlib';
import type { ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { readZeekConnLog, type ZeekLabel } from './readZeekConnLog.js';
import type { SourceProblem } from './types.js';
import { chunked, collect } from './internal/testing/collect.js';

const T = '\t';
const header = (fields: string[]): string =>
  ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields${T}${fields.join(T)}`, `#types${T}${fields.map(() => 'string').join(T)}`].join('\n');

// Shuffled column order, extra columns (uid, label columns), unset and empty values.
const FIELDS = ['proto', 'id.resp_p', 'uid', 'ts', 'id.orig_h', 'orig_pkts', 'id.resp_h', 'orig_bytes', 'id.orig_p', 'duration', 'history', 'local_orig', 'local_resp', 'label', 'detailedlabel'];
const row = (v: Record<string, string>): string => FIELDS.map((f) => v[f] ?? '-').join(T);
const TSV = [
  header(FIELDS),
  row({ proto: 'tcp', 'id.resp_p': '1177', uid: 'C1', ts: '1488980825.123456', 'id.orig_h': '192.168.1.115', orig_pkts: '3', 'id.resp_h': '41.108.179.197', orig_bytes: '0', 'id.orig_p': '49160', duration: '2.5', history: 'ShR', local_orig: 'T', local_resp: 'F', label: 'Malicious', detailedlabel: 'CC' }),
  row({ proto: 'udp', 'id.resp_p': '53', uid: 'C2', ts: '1488980826', 'id.orig_h': 'FD2D:AB8C:225:0:0:0:0:1', 'id.resp_h': 'fd2d:ab8c:225::2', 'id.orig_p': '5000', label: 'Background', detailedlabel: '(empty)' }),
  row({ proto: 'tcp', ts: 'garbage', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2', 'id.orig_p': '1', 'id.resp_p': '2' }),
  'a\tshort\tline',
  row({ proto: 'unknown_transport', ts: '1488980827.5', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2', 'id.orig_p': '1', 'id.resp_p': '2' }),
  row({ proto: 'icmp', 'id.resp_p': '0', ts: '1488980828.000001', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2', 'id.orig_p': '8', orig_bytes: '64', orig_pkts: '1' }),
  '#close\t2017-03-08-14-00-00',
  '',
].join('\n');

const first: ConnectionEvent = {
  tsSec: 1488980825,
  tsNsec: 123_456_000,
  srcIp: '192.168.1.115',
  dstIp: '41.108.179.197',
  srcPort: 49160,
  dstPort: 1177,
  protocol: 6,
  direction: 'egress',
  bytes: 0,
  packets: 3,
  tcpFlags: 0x02 | 0x12 | 0x04,
  kind: 'flow_start',
  node: 'zeek:stream',
  durationSec: 2.5,
  localOrig: true,
  localResp: false,
};

describe('readZeekConnLog', () => {
  it('reads TSV by its #fields header, reporting garbled lines by number and reading on', async () => {
    const labels: [ConnectionEvent, ZeekLabel][] = [];
    const source = readZeekConnLog(chunked(Buffer.from(TSV), 13), { onLabel: (e, l) => labels.push([e, l]) });
    const events = await collect(source);
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual(first);
    expect(events[1]).toMatchObject({ srcIp: 'fd2d:ab8c:225::1', dstIp: 'fd2d:ab8c:225::2', protocol: 17, bytes: 0, packets: 0, tcpFlags: 0, direction: 'unknown' });
    expect(events[1]?.durationSec).toBeUndefined();
    expect(events[2]).toMatchObject({ protocol: 1, tsNsec: 1000, srcPort: 8, dstPort: 0, bytes: 64 });
    expect(source.stats.problemSamples).toEqual([
      { kind: 'garbled_line', line: 10, message: 'bad ts' },
      { kind: 'garbled_line', line: 11, message: `expected ${FIELDS.length} columns, found 3` },
    ]);
    expect(source.stats).toMatchObject({ format: 'zeek-tsv', records: 6, events: 3, skipped: { nonTcpUdp: 1 } });
    expect(labels.map(([e, l]) => [e.srcPort, l])).toEqual([
      [49160, { label: 'Malicious', detailedLabel: 'CC', verdict: 'malicious' }],
      [5000, { label: 'Background', detailedLabel: undefined, verdict: 'background' }],
    ]);
    expect(labels[0]?.[0]).toBe(events[0]);
  });

  it('re-reads #fields when header blocks are concatenated (rotated logs), and honours #unset_field', async () => {
    const second = ['#separator \\x09', '#unset_field\tNONE', `#fields${T}id.orig_h${T}id.orig_p${T}id.resp_h${T}id.resp_p${T}proto${T}ts${T}orig_bytes`, `10.0.0.9${T}7${T}10.0.0.8${T}80${T}tcp${T}5.5${T}NONE`].join('\n');
    const source = readZeekConnLog(chunked(Buffer.from(`${TSV}${second}`), 4096), { node: 'n1' });
    const events = await collect(source);
    expect(events[3]).toMatchObject({ srcIp: '10.0.0.9', dstPort: 80, tsSec: 5, tsNsec: 500_000_000, bytes: 0, node: 'n1' });
    expect(source.stats.problems.garbled_line).toBe(2);
  });

  it('reports a last line cut short as truncated, and data before any #fields as garbled', async () => {
    const cut = TSV.slice(0, TSV.indexOf('unknown_transport') + 9);
    const source = readZeekConnLog(chunked(Buffer.from(`1.0${T}x\n${cut}`), 4096));
    await collect(source);
    expect(source.stats.problemSamples.map((p) => [p.kind, p.line])).toEqual([
      ['garbled_line', 1],
      ['garbled_line', 11],
      ['garbled_line', 12],
      ['truncated_record', 13],
    ]);
  });

  it('reads JSON lines: ts as number or ISO text, Zeek key names, labels', async () => {
    const lines = [
      { ts: 1655071198.444458, uid: 'x', 'id.orig_h': '147.32.81.167', 'id.orig_p': 62771, 'id.resp_h': '40.74.108.123', 'id.resp_p': 443, proto: 'tcp', duration: 1.1, orig_bytes: 1596, orig_pkts: 14, history: 'ShADadFf', local_orig: true, local_resp: false, label: 'Benign', detailedlabel: 'Microsoft' },
      { ts: '2022-06-17T00:00:07.123456789Z', 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '10.0.0.2', 'id.resp_p': 2, proto: 'udp' },
    ].map((o) => JSON.stringify(o));
    const text = `${lines[0]}\n{not json\n${lines[1]}\n`;
    const labels: ZeekLabel[] = [];
    const source = readZeekConnLog(chunked(Buffer.from(text), 20), { onLabel: (_e, l) => labels.push(l) });
    const events = await collect(source);
    expect(events[0]).toMatchObject({ tsSec: 1655071198, tsNsec: 444_458_000, bytes: 1596, packets: 14, tcpFlags: 0x13, direction: 'egress', durationSec: 1.1 });
    expect(events[1]).toMatchObject({ tsSec: 1655424007, tsNsec: 123_456_789, protocol: 17 });
    expect(source.stats.format).toBe('zeek-json');
    expect(source.stats.problemSamples[0]).toMatchObject({ kind: 'garbled_line', line: 2 });
    expect(labels).toEqual([{ label: 'Benign', detailedLabel: 'Microsoft', verdict: 'benign' }]);
  });

  it('marks failed attempts from conn_state (TSV and JSON) and keeps local_orig / local_resp', async () => {
    const fields = ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp'];
    const states: Array<[string, string, string, boolean | undefined]> = [
      ['S0', '0', '0', true],
      ['REJ', '0', '0', true],
      ['RSTO', '0', '0', true],
      ['RSTR', '0', '-', true],
      ['RSTO', '12', '0', false],
      ['SF', '0', '0', false],
      ['-', '0', '0', undefined],
    ];
    const rows = states.map(([st, ob, rb], i) => [`${100 + i}`, '10.0.0.5', '5000', '41.108.179.197', '1177', 'tcp', ob, rb, st, 'T', i === 0 ? 'T' : 'F'].join(T));
    const tsv = await collect(readZeekConnLog(chunked(Buffer.from(`${header(fields)}\n${rows.join('\n')}\n`), 64)));
    expect(tsv.map((e) => e.failed)).toEqual(states.map((s) => s[3]));
    expect(tsv[0]).toMatchObject({ localOrig: true, localResp: true, direction: 'unknown' });
    expect(tsv[1]).toMatchObject({ localOrig: true, localResp: false, direction: 'egress' });
    const json = states.map(([st, ob, rb], i) =>
      JSON.stringify({ ts: 100 + i, 'id.orig_h': '10.0.0.5', 'id.orig_p': 5000, 'id.resp_h': '41.108.179.197', 'id.resp_p': 1177, proto: 'tcp', orig_bytes: Number(ob), resp_bytes: rb === '-' ? null : Number(rb), ...(st === '-' ? {} : { conn_state: st }) }),
    );
    const fromJson = await collect(readZeekConnLog(chunked(Buffer.from(`${json.join('\n')}\n`), 64)));
    expect(fromJson.map((e) => e.failed)).toEqual(states.map((s) => s[3]));
    expect(fromJson[0]?.localOrig).toBeUndefined();
  });

  it('decompresses gzip (TSV and JSON), and reports a gzip stream cut short', async () => {
    const tsv = readZeekConnLog(chunked(gzipSync(TSV), 100));
    expect(await collect(tsv)).toHaveLength(3);
    expect(tsv.stats.gzip).toBe(true);
    const json = readZeekConnLog(chunked(gzipSync('{"ts":1,"id.orig_h":"1.2.3.4","id.orig_p":1,"id.resp_h":"5.6.7.8","id.resp_p":2,"proto":"tcp"}\n'), 7));
    expect(await collect(json)).toHaveLength(1);
    const big = gzipSync(TSV.repeat(200));
    const truncated: SourceProblem[] = [];
    const onProblem = (p: SourceProblem): void => void (p.kind === 'truncated_record' && truncated.push(p));
    const cut = readZeekConnLog(chunked(big.subarray(0, big.length - 40), 512), { onProblem });
    const events = await collect(cut);
    expect(events.length).toBeGreaterThan(400); // of 600: all but the lost tail
    // The half-decompressed last line (with its number), then the gzip stream itself.
    expect(truncated.map((p) => p.message.slice(0, 21))).toEqual(['last line cut short: ', 'gzip stream cut short']);
    expect(truncated[0]?.line).toBe(truncated[1]?.line);
  });
});
