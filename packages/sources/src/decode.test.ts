import { describe, expect, it } from 'vitest';
import { readPcap } from './readPcap.js';
import { chunked, collect } from './internal/testing/collect.js';
import { A, ethernet, F, ipPacket, pcapFile, S, sll, sll2, type PacketSpec, type Rec } from './internal/testing/captureWriter.js';

const v4: PacketSpec = { src: '172.16.0.5', dst: '8.8.4.4', sport: 3333, dport: 80, flags: S };
const v6: PacketSpec = { src: '2001:db8:0:0:0:0:0:1', dst: '2001:DB8:0:1:0:0:0:AB', sport: 5555, dport: 443, flags: S };

async function firstEvent(linkType: number, data: Buffer, opts: { bigEndian?: boolean; nano?: boolean } = {}, t: Rec['t'] = 7) {
  const source = readPcap(chunked(pcapFile(linkType, [{ t, data }], opts), 4096));
  const events = await collect(source);
  return { event: events[0], source };
}

describe('readPcap decoding', () => {
  it.each([
    ['Ethernet', 1, ethernet(ipPacket(v4))],
    ['Ethernet + 802.1Q', 1, ethernet(ipPacket(v4), [42])],
    ['Ethernet + QinQ', 1, ethernet(ipPacket(v4), [7, 42])],
    ['SLL', 113, sll(ipPacket(v4))],
    ['SLL2', 276, sll2(ipPacket(v4))],
    ['raw IP (101)', 101, ipPacket(v4)],
    ['raw IPv4 (228)', 228, ipPacket(v4)],
  ])('%s IPv4', async (_name, link, data) => {
    const { event } = await firstEvent(link, data);
    expect(event).toMatchObject({ kind: 'flow_start', srcIp: '172.16.0.5', dstIp: '8.8.4.4', srcPort: 3333, dstPort: 80, protocol: 6, tcpFlags: S });
  });

  it.each([
    ['Ethernet', 1, ethernet(ipPacket(v6))],
    ['SLL2 + hop-by-hop, dest options, first fragment', 276, sll2(ipPacket({ ...v6, ext: [0, 60, 44] }))],
    ['raw IPv6 (229)', 229, ipPacket(v6)],
    ['BSD loopback', 0, Buffer.concat([Buffer.from([30, 0, 0, 0]), ipPacket(v6)])],
  ])('%s IPv6, addresses in RFC 5952 text', async (_name, link, data) => {
    const { event } = await firstEvent(link, data);
    expect(event).toMatchObject({ srcIp: '2001:db8::1', dstIp: '2001:db8:0:1::ab', srcPort: 5555, dstPort: 443 });
  });

  it('reads big-endian nanosecond files exactly', async () => {
    const { event } = await firstEvent(1, ethernet(ipPacket({ ...v4, proto: 'udp', payload: 12 })), { bigEndian: true, nano: true }, [1_700_000_000, 123_456_789]);
    expect(event).toMatchObject({ tsSec: 1_700_000_000, tsNsec: 123_456_789, protocol: 17, bytes: 12, tcpFlags: 0 });
  });

  it('counts non-IP, non-TCP/UDP and non-first fragments without events', async () => {
    const recs: Rec[] = [
      { t: 1, data: ethernet(Buffer.alloc(28), [], 0x0806) }, // ARP
      { t: 2, data: ethernet(ipPacket({ ...v4, proto: 1, payload: 8 })) }, // ICMP
      { t: 3, data: ethernet(ipPacket({ ...v4, fragOffset: 185 })) },
      { t: 4, data: ethernet(ipPacket({ ...v6, ext: [51], proto: 50 })) }, // AH then ESP
      { t: 5, data: ethernet(ipPacket({ ...v4, flags: F | A })) },
    ];
    const source = readPcap(chunked(pcapFile(1, recs), 4096));
    const events = await collect(source);
    expect(events.map((e) => e.kind)).toEqual(['flow_start', 'flow_end']);
    expect(source.stats.skipped).toEqual({ nonIp: 1, nonTcpUdp: 2, fragments: 1, unsupportedLinkType: 0, eventTypes: 0 });
  });

  it('reports an unsupported link type once and counts its packets', async () => {
    const problems: string[] = [];
    const recs: Rec[] = [{ t: 1, data: Buffer.alloc(40) }, { t: 2, data: Buffer.alloc(40) }];
    const source = readPcap(chunked(pcapFile(147, recs), 4096), { onProblem: (p) => problems.push(`${p.kind}@${p.offset}`) });
    expect(await collect(source)).toEqual([]);
    expect(problems).toEqual(['unsupported_link_type@24']);
    expect(source.stats.skipped.unsupportedLinkType).toBe(2);
  });

  it('reports a packet whose headers are cut short, with its offset', async () => {
    const recs: Rec[] = [{ t: 1, data: ethernet(ipPacket(v4)).subarray(0, 30) }, { t: 2, data: ethernet(ipPacket({ ...v4, flags: A })) }];
    const source = readPcap(chunked(pcapFile(1, recs), 4096));
    const events = await collect(source);
    expect(source.stats.problemSamples).toEqual([{ kind: 'malformed_packet', offset: 24, message: 'IPv4 header cut short' }]);
    expect(events.map((e) => e.kind)).toEqual(['flow_start', 'flow_end']);
  });
});
