import { describe, expect, it } from 'vitest';
import { readPcap } from './readPcap.js';
import { isSourceError } from './errors.js';
import { chunked, collect } from './internal/testing/collect.js';
import { A, ethernet, F, ipPacket, P, pcapFile, R, S, type Rec } from './internal/testing/captureWriter.js';

const C = { src: '10.0.0.1', dst: '192.0.2.9', sport: 40000, dport: 443 };
const SV = { src: C.dst, dst: C.src, sport: C.dport, dport: C.sport };
const eth = (t: number, spec: Parameters<typeof ipPacket>[0]): Rec => ({ t, data: ethernet(ipPacket(spec)) });

/** A keep-alive TCP connection: handshake, a request/response, 5 s idle, another exchange, FIN. */
function keepAlive(): Rec[] {
  return [
    eth(100.0, { ...C, flags: S }),
    eth(100.01, { ...SV, flags: S | A }),
    eth(100.02, { ...C, flags: A }),
    eth(100.03, { ...C, flags: P | A, payload: 100 }),
    eth(100.04, { ...SV, flags: P | A, payload: 200 }),
    eth(105.04, { ...C, flags: P | A, payload: 50 }), // idle 5 s: burst
    eth(105.05, { ...SV, flags: P | A, payload: 70 }),
    eth(105.55, { ...C, flags: P | A, payload: 10 }), // idle 0.5 s: no burst
    eth(106.0, { ...C, flags: F | A }),
    eth(106.001, { ...SV, flags: F | A }), // absorbed by the closed flow
    eth(106.002, { ...C, flags: A }),
  ];
}

const base = { srcIp: '10.0.0.1', dstIp: '192.0.2.9', srcPort: 40000, dstPort: 443, protocol: 6, direction: 'unknown', node: 'pcap:stream' };

describe('readPcap flow semantics', () => {
  it('emits flow_start, a burst after the idle gap and flow_end on FIN, across tiny chunks', async () => {
    const source = readPcap(chunked(pcapFile(1, keepAlive()), 7));
    const events = await collect(source);
    expect(events).toEqual([
      { ...base, kind: 'flow_start', tsSec: 100, tsNsec: 0, bytes: 0, packets: 1, tcpFlags: S },
      { ...base, kind: 'burst', tsSec: 105, tsNsec: 40_000_000, bytes: 50, packets: 1, tcpFlags: P | A },
      { ...base, kind: 'flow_end', tsSec: 106, tsNsec: 0, bytes: 430, packets: 9, tcpFlags: S | A | P | F, durationSec: 6 },
    ]);
    expect(source.stats).toMatchObject({ format: 'pcap', records: 11, events: 3, flows: { closed: 1, open: 0, peak: 1 } });
  });

  it('with closedLingerSec 0 the peer FIN and last ACK open new flows (the literal rule)', async () => {
    const events = await collect(readPcap(chunked(pcapFile(1, keepAlive()), 4096), { closedLingerSec: 0 }));
    expect(events.map((e) => `${e.kind} ${e.srcIp}`)).toEqual([
      'flow_start 10.0.0.1',
      'burst 10.0.0.1',
      'flow_end 10.0.0.1',
      'flow_start 192.0.2.9',
      'flow_end 192.0.2.9',
      'flow_start 10.0.0.1',
      'flow_end 10.0.0.1',
    ]);
  });

  it('a SYN on a closed 5-tuple starts a new flow at once; RST ends a flow', async () => {
    const recs = [eth(1, { ...C, flags: S }), eth(1.1, { ...SV, flags: R | A }), eth(1.2, { ...C, flags: S }), eth(1.3, { ...C, flags: A, payload: 5 })];
    const events = await collect(readPcap(chunked(pcapFile(1, recs), 4096), { endFlowsAtEof: false }));
    expect(events.map((e) => `${e.kind}@${e.tsSec}.${e.tsNsec / 1e8}`)).toEqual(['flow_start@1.0', 'flow_end@1.1', 'flow_start@1.2']);
  });

  it('the initiator is whoever sent the first packet seen, even mid-stream', async () => {
    const events = await collect(readPcap(chunked(pcapFile(1, [eth(5, { ...SV, flags: P | A, payload: 9 }), eth(5.1, { ...C, flags: A })]), 64)));
    expect(events[0]).toMatchObject({ kind: 'flow_start', srcIp: '192.0.2.9', srcPort: 443, dstIp: '10.0.0.1', dstPort: 40000, bytes: 9 });
    expect(events[1]).toMatchObject({ kind: 'flow_end', srcIp: '192.0.2.9', packets: 2, bytes: 9, durationSec: expect.closeTo(0.1, 9) });
  });

  it('ends UDP flows idle longer than flowTimeoutSec (swept by packet time) and open flows at EOF', async () => {
    const u = { src: '10.0.0.2', dst: '10.0.0.53', sport: 5353, dport: 53, proto: 'udp' as const };
    const recs = [eth(0, { ...u, payload: 30 }), eth(0.5, { ...u, payload: 20 }), eth(200, { ...u, payload: 40 }), eth(202, { ...u, payload: 1 })];
    const source = readPcap(chunked(pcapFile(1, recs), 50), { flowTimeoutSec: 60, idleGapSec: 1.5 });
    const events = await collect(source);
    expect(events.map((e) => [e.kind, e.tsSec, e.bytes, e.packets, e.protocol])).toEqual([
      ['flow_start', 0, 30, 1, 17],
      ['flow_end', 0, 50, 2, 17],
      ['flow_start', 200, 40, 1, 17],
      ['burst', 202, 1, 1, 17],
      ['flow_end', 202, 41, 2, 17],
    ]);
    expect(source.stats.flows).toMatchObject({ timedOut: 1, endedAtEof: 1 });
  });

  it('bounds the table: the least recently active flow is evicted with a flow_end', async () => {
    const recs = [1, 2, 3].map((i) => eth(i, { src: `10.0.0.${i}`, dst: '10.9.9.9', sport: 1000, dport: 53, proto: 'udp', payload: i }));
    const source = readPcap(chunked(pcapFile(1, recs), 4096), { maxFlows: 2 });
    const events = await collect(source);
    expect(events.map((e) => `${e.kind} ${e.srcIp}`)).toEqual([
      'flow_start 10.0.0.1',
      'flow_start 10.0.0.2',
      'flow_end 10.0.0.1',
      'flow_start 10.0.0.3',
      'flow_end 10.0.0.2',
      'flow_end 10.0.0.3',
    ]);
    expect(source.stats.flows).toMatchObject({ evicted: 1, peak: 2, endedAtEof: 2 });
  });

  it('rejects bad options and non-pcap content', async () => {
    await expect(collect(readPcap(chunked(pcapFile(1, []), 10), { idleGapSec: 0 }))).rejects.toSatisfy(
      (e: unknown) => isSourceError(e) && e.code === 'INVALID_OPTION',
    );
    await expect(collect(readPcap(chunked(Buffer.from('#separator \\x09\n'), 10)))).rejects.toSatisfy(
      (e: unknown) => isSourceError(e) && e.code === 'BAD_HEADER',
    );
  });
});
