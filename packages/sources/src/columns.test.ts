import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readZeekConnColumns, readZeekConnLog } from './readZeekConnLog.js';
import { readPcap } from './readPcap.js';
import { openColumnSource } from './openSource.js';
import { ethernet, ipPacket, pcapFile, A, S } from './internal/testing/captureWriter.js';
import type { ConnectionEvent } from '@beacon/detector';
import { EventBatchWriter, EventColumnsDecoder as EventDecoder, EventColumnsEncoder as EventEncoder, type EventBatch } from './columns.js';

// Required<>: a field added to ConnectionEvent fails type-checking here until the codec carries it.
const full: Required<ConnectionEvent> = {
  tsSec: 1_700_000_123, tsNsec: 456_789_000, srcIp: '10.0.0.5', dstIp: '2001:db8::9', srcPort: 50123, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: 2 ** 40, packets: 12, tcpFlags: 0x1b, kind: 'burst', node: 'zeek:conn.log', durationSec: 1.25, connState: 'SF', serverName: 'c2.example.net',
  localOrig: true, localResp: false, failed: true,
};

describe('event columns', () => {
  it('carries every field of an event, across messages whose address tables build on each other', () => {
    const enc = new EventEncoder();
    const dec = new EventDecoder(false);
    const second: ConnectionEvent = { ...full, srcIp: '10.0.0.6', kind: 'flow_end', direction: 'unknown', node: 'pcap:x.pcap' };
    const withoutDuration: ConnectionEvent = { ...full, kind: 'flow_start', direction: 'ingress' };
    delete withoutDuration.durationSec;
    delete withoutDuration.connState;
    delete withoutDuration.serverName;
    delete withoutDuration.localOrig;
    delete withoutDuration.failed;
    const m1 = enc.encode([full, withoutDuration]);
    const m2 = enc.encode([second, full]);
    expect(m2.newIps).toEqual(['10.0.0.6']); // 2001:db8::9 was sent with m1
    dec.absorb(m1);
    expect(dec.decode(m1)).toEqual([full, withoutDuration]);
    dec.absorb(m2);
    expect(dec.decode(m2, 1)).toEqual([full]);
  });

  it('reuses its event objects when asked to', () => {
    const enc = new EventEncoder();
    const dec = new EventDecoder(true);
    const m = enc.encode([full, full]);
    dec.absorb(m);
    const a = dec.decode(m);
    const b = dec.decode(m);
    expect(b[0]).toBe(a[0]);
    expect({ ...b[0] }).toEqual(full);
    const bare: ConnectionEvent = { ...full };
    delete bare.connState;
    const m2 = enc.encode([bare]);
    dec.absorb(m2);
    expect(dec.decode(m2)[0]?.connState).toBeUndefined();
    // no duration: NaN in a reused object (the detector's trusted path reads it as absent), absent in a fresh one
    delete bare.durationSec;
    const m3 = enc.encode([bare]);
    dec.absorb(m3);
    expect(dec.decode(m3)[0]?.durationSec).toBeNaN();
    const fresh = new EventDecoder(false);
    for (const x of [m, m2, m3]) fresh.absorb(x);
    expect(fresh.decode(m3)[0]).toEqual(bare);
  });
});

describe('readZeekConnColumns', () => {
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
  const BENIGN = resolve(repoRoot, '../shared/datasets/stratosphere-008-benign-day/conn.log.labeled');
  const header = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\thistory\torig_pkts',
  ];
  const rows = [
    '1700000000.250000\tC1\t10.0.0.1\t40000\t198.51.100.7\t443\ttcp\t0.5\t240\t720\tSF\tT\tF\tShADadFf\t4',
    '1700000001.000000\tC2\t10.0.0.1\t40001\t198.51.100.7\t443\ttcp\t-\t0\t0\tS0\tT\tF\tS\t1',
    '1700000002.000000\tC3\t2001:DB8:0:0:0:0:0:1\t5353\t2001:db8::2\t53\tudp\t0.01\t40\t80\t-\t-\t-\t-\t1',
    'not a row',
    '1700000003.000000\tC4\tfe80::1\t0\t2001:db8::2\t0\ticmp\t0.01\t40\t80\tOTH\tF\tF\t-\t1',
    '1700000004.000000\tC5\t10.0.0.9\t1\t10.0.0.1\t2\tunknown_transport\t0.01\t40\t80\tOTH\tF\tF\t-\t1',
    '1700000005.000000\tC6\t10.0.0.300\t1\t10.0.0.1\t2\ttcp\t0.01\t40\t80\tREJ\tF\tF\tSr\t1',
    '{"ts":1700000006.5,"uid":"C7","id.orig_h":"10.0.0.2","id.orig_p":1,"id.resp_h":"10.0.0.3","id.resp_p":80,"proto":"tcp","orig_bytes":5,"conn_state":"RSTO","resp_bytes":0}',
    '1700000007.000000\tC8\t10.0.0.1\t40002\t198.51.100.8\t443\ttcp\t1.5\t0\t0\tRSTO\tT\tF\tShR\t2',
    '1700000008.000000\tC9\t10.0.0.1\t40002',
  ];
  const log = Buffer.from([...header, ...rows].join('\n'));

  async function* pieces(): AsyncGenerator<Uint8Array> {
    // cut mid-line: the second piece carries the end of a row
    yield log.subarray(0, 700);
    yield log.subarray(700);
  }

  async function both(input: () => AsyncIterable<Uint8Array>, batchSize: number): Promise<void> {
    const plain = readZeekConnLog(input(), { batchSize: 3, node: 'n' });
    const expected: ConnectionEvent[] = [];
    for await (const b of plain) expected.push(...b);
    const enc = new EventEncoder(batchSize);
    const dec = new EventDecoder(false);
    const cols = readZeekConnColumns(input(), enc, { node: 'n' });
    const got: ConnectionEvent[] = [];
    for await (const b of cols) {
      expect(b.count).toBeLessThanOrEqual(batchSize);
      dec.absorb(b);
      got.push(...dec.decode(b));
    }
    expect(got).toEqual(expected);
    expect(cols.stats).toEqual(plain.stats);
    // what the log holds: 6 events (one of them from JSON), 2 garbled rows, 1 foreign protocol, a cut-short last line
    expect(plain.stats).toMatchObject({ records: 10, events: 6, problems: { garbled_line: 2, truncated_record: 1 }, skipped: { nonTcpUdp: 1 } });
    expect(got.find((e) => e.protocol === 58)?.srcIp).toBe('fe80::1');
    expect(got.map((e) => e.failed)).toEqual([false, true, undefined, undefined, false, true]); // SF, S0, udp, icmp, RSTO after data, RSTO before any
    expect(cols.lines).toBe(header.length + rows.length);
  }

  it('gives the events and counters readZeekConnLog gives: IPv6 re-written, icmp over IPv6, damaged and foreign rows, JSON lines, a cut-short last line', async () => {
    await both(pieces, 4);
    await both(pieces, 1);
  });

  it.skipIf(!existsSync(BENIGN) && `dataset absent: ${BENIGN}`)('a real day of benign traffic (Stratosphere 008) reads the same as event objects', async () => {
    const plain = readZeekConnLog(BENIGN, { node: 'n' });
    const expected: ConnectionEvent[] = [];
    for await (const b of plain) expected.push(...b);
    const enc = new EventEncoder(1000);
    const dec = new EventDecoder(true);
    const cols = readZeekConnColumns(BENIGN, enc, { node: 'n' });
    let i = 0;
    for await (const b of cols) {
      dec.absorb(b);
      for (const e of dec.decode(b)) {
        const want = expected[i++] as ConnectionEvent;
        // reused objects carry every optional field, unset as undefined, and no duration as NaN
        const seen: Partial<ConnectionEvent> = { ...e };
        if (Number.isNaN(seen.durationSec)) delete seen.durationSec;
        expect(JSON.parse(JSON.stringify(seen))).toEqual(JSON.parse(JSON.stringify(want)));
      }
    }
    expect(i).toBe(expected.length);
    expect(i).toBeGreaterThan(1000);
    expect(cols.stats).toEqual(plain.stats);
  });
});

describe('EventBatchWriter', () => {
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
  const NJRAT = resolve(repoRoot, '../shared/datasets/stratosphere-001-njrat/labeled-conn.log');

  it.skipIf(!existsSync(NJRAT) && `dataset absent: ${NJRAT}`)('writes what readZeekConnLog reads into reused objects, with equal hints for equal pairs and batches safe until recycled', async () => {
    const plain = readZeekConnLog(NJRAT);
    const expected: ConnectionEvent[] = [];
    for await (const b of plain) expected.push(...b);
    const writer = new EventBatchWriter(100);
    const source = readZeekConnColumns(NJRAT, writer);
    const got: ConnectionEvent[] = [];
    const hintOf = new Map<string, Set<number>>();
    const held: Array<{ batch: EventBatch; snapshot: string }> = [];
    for await (const b of source) {
      expect(b.events.length).toBe(b.pairHints.length);
      b.events.forEach((e, i) => {
        const seen: Partial<ConnectionEvent> = { ...e };
        if (Number.isNaN(seen.durationSec)) delete seen.durationSec;
        got.push(JSON.parse(JSON.stringify(seen)) as ConnectionEvent);
        const key = `${e.srcIp}|${e.dstIp}|${e.dstPort}|${e.protocol}`;
        const set = hintOf.get(key) ?? new Set<number>();
        set.add(b.pairHints[i] as number);
        hintOf.set(key, set);
      });
      // three batches are held, the rest recycled: the held ones must not be overwritten
      if (held.length < 3 && got.length % 200 === 100) held.push({ batch: b, snapshot: JSON.stringify(b) });
      else writer.recycle(b);
    }
    expect(held.length).toBe(3);
    for (const h of held) expect(JSON.stringify(h.batch)).toBe(h.snapshot);
    expect(got).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(source.stats).toEqual(plain.stats);
    expect([...hintOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...hintOf.values()].map((s) => [...s][0])).size).toBeGreaterThan(hintOf.size * 0.99);
  });

  it('refuses a batch size that is not a positive integer, naming it', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 30]) {
      expect(() => new EventBatchWriter(bad)).toThrow(/batchSize must be an integer/);
      expect(() => new EventEncoder(bad)).toThrow(/batchSize must be an integer/);
    }
  });

  it('does not reuse a batch that was not handed back', async () => {
    const writer = new EventBatchWriter(2);
    const e: ConnectionEvent = { tsSec: 1, tsNsec: 0, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1, dstPort: 2, protocol: 6, direction: 'unknown', bytes: 1, packets: 1, tcpFlags: 0, kind: 'flow_start', node: 'n' };
    for (let i = 0; i < 6; i++) writer.add({ ...e, tsSec: i });
    const [a, b, c] = writer.take();
    expect([a, b, c].map((x) => x?.events.map((y) => y.tsSec))).toEqual([[0, 1], [2, 3], [4, 5]]);
    writer.recycle(a as EventBatch);
    for (let i = 6; i < 10; i++) writer.add({ ...e, tsSec: i, serverName: 'x.example' });
    const [, d] = writer.take(true);
    expect(d?.events).toBe(a?.events); // the recycled objects, filled again
    expect(d?.events.map((y) => [y.tsSec, y.serverName])).toEqual([[8, 'x.example'], [9, 'x.example']]);
    expect(b?.events.map((y) => y.tsSec)).toEqual([2, 3]); // not handed back: untouched
  });
});

describe('captures as rows', () => {
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
  const CC = resolve(repoRoot, '../shared/datasets/linuxips-test-cc/test-cc-capture-1.pcap');

  async function same(input: () => string | AsyncIterable<Uint8Array>): Promise<number> {
    const plain = readPcap(input());
    const expected: ConnectionEvent[] = [];
    for await (const b of plain) expected.push(...b);
    const writer = new EventBatchWriter(256);
    const opened = await openColumnSource(input(), writer, { format: 'pcap' });
    expect(opened.kind).toBe('columns');
    if (opened.kind !== 'columns') return 0;
    const got: unknown[] = [];
    for await (const b of opened.source) {
      for (const e of b.events) {
        const seen: Partial<ConnectionEvent> = { ...e };
        for (const k of Object.keys(seen) as Array<keyof ConnectionEvent>) if (seen[k] === undefined) delete seen[k];
        if (Number.isNaN(seen.durationSec)) delete seen.durationSec;
        got.push(seen);
      }
      writer.recycle(b);
    }
    expect(got).toEqual(expected);
    expect(opened.source.stats).toEqual(plain.stats);
    return expected.length;
  }

  it('a capture read into an EventBatchWriter gives readPcap\'s events and counters, also with thousands of flows open at the end (ended in steps)', async () => {
    const recs: Array<{ t: number; data: Buffer }> = [];
    for (let i = 0; i < 6000; i++) {
      const src = `10.${i >> 8 & 255}.${i & 255}.7`;
      const dst = i % 3 === 0 ? '2001:db8::5' : `198.51.100.${i % 200}`;
      const from = dst.includes(':') ? `2001:db8::${(i + 1).toString(16)}` : src;
      recs.push({ t: 1_700_000_000 + i / 100, data: ethernet(ipPacket({ src: from, dst, sport: 40000 + (i % 20000), dport: 443, flags: S })) });
      if (i % 2 === 0) recs.push({ t: 1_700_000_000 + i / 100 + 0.005, data: ethernet(ipPacket({ src: from, dst, sport: 40000 + (i % 20000), dport: 443, flags: A, payload: 40 })) });
      if (i % 5 === 0) recs.push({ t: 1_700_000_000 + i / 100 + 0.007, data: ethernet(ipPacket({ src: from, dst, sport: 5353, dport: 53, proto: 'udp', payload: 30 })) });
    }
    const file = pcapFile(1, recs);
    async function* once(): AsyncGenerator<Uint8Array> {
      yield file;
    }
    expect(await same(once)).toBeGreaterThan(6000);
  });

  it.skipIf(!existsSync(CC) && `dataset absent: ${CC}`)('the real C2 capture (linuxips test-cc) reads the same as rows', async () => {
    expect(await same(() => CC)).toBeGreaterThan(100);
  });
});
