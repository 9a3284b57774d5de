import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resolver } from 'node:dns/promises';
import { readPcap } from './readPcap.js';
import { chunked, collect } from './internal/testing/collect.js';
import { A, ethernet, F, ipPacket, P, pcapFile, S, type PacketSpec, type Rec } from './internal/testing/captureWriter.js';
import { hasOpenssl, nodeClientHello, opensslClientHello, selfSigned, startHelloServer, type HelloServer } from './internal/testing/tlsHello.js';
import { startDnsResponder } from './internal/testing/dnsResponder.js';

/** One TCP connection: handshake, the client's first payload in the given segments, a reply, FIN. */
function connection(t: number, c: { src: string; dst: string; sport: number; dport: number }, segments: Buffer[]): Rec[] {
  const rev = { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport };
  const recs: PacketSpec[] = [
    { ...c, flags: S },
    { ...rev, flags: S | A },
    { ...c, flags: A },
    ...segments.map((data) => ({ ...c, flags: P | A, data })),
    { ...rev, flags: P | A, payload: 100 },
    { ...c, flags: F | A },
    { ...rev, flags: F | A },
  ];
  return recs.map((p, i) => ({ t: t + i * 0.01, data: ethernet(ipPacket(p)) }));
}

/**
 * One TCP connection whose client payload `data` goes out as the given pieces ([start, end) of
 * `data`, in the order listed: out of order, repeated or overlapping), each acknowledged by the
 * server, with real sequence numbers from the client's ISN.
 */
function pieces(t: number, c: { src: string; dst: string; sport: number; dport: number }, data: Buffer, cuts: Array<[number, number]>, isn = 0xffffff80): Rec[] {
  const rev = { src: c.dst, dst: c.src, sport: c.dport, dport: c.sport };
  const recs: PacketSpec[] = [
    { ...c, flags: S, seq: isn },
    { ...rev, flags: S | A, seq: 5000 },
    { ...c, flags: A, seq: (isn + 1) >>> 0 },
  ];
  for (const [a, b] of cuts) recs.push({ ...c, flags: P | A, seq: (isn + 1 + a) >>> 0, data: data.subarray(a, b) }, { ...rev, flags: A, seq: 5001 });
  recs.push({ ...rev, flags: P | A, payload: 100, seq: 5001 }, { ...c, flags: F | A, seq: (isn + 1 + data.length) >>> 0 }, { ...rev, flags: F | A, seq: 5101 });
  return recs.map((p, i) => ({ t: t + i * 0.01, data: ethernet(ipPacket(p)) }));
}

const openssl = await hasOpenssl();

describe.skipIf(!openssl)('readPcap names flows from real ClientHellos (needs the openssl binary)', () => {
  let server: HelloServer;
  let nodeHello: Buffer;
  let opensslHello: Buffer;
  beforeAll(async () => {
    server = await startHelloServer('127.0.0.1', await selfSigned('c2.example.net'));
    let next = server.nextHello();
    await nodeClientHello(server, 'api.c2.example.net');
    nodeHello = await next;
    next = server.nextHello();
    await opensslClientHello(server, 'front.cdn.example.org');
    opensslHello = await next;
  });
  afterAll(async () => {
    await server.close();
  });

  it('carries serverName on the flow events, also when the ClientHello spans two segments', async () => {
    const a = { src: '10.1.0.5', dst: '198.51.100.20', sport: 40001, dport: 443 };
    const b = { src: '10.1.0.5', dst: '198.51.100.21', sport: 40002, dport: 443 };
    const c = { src: '10.1.0.5', dst: '198.51.100.22', sport: 40003, dport: 443 };
    const file = pcapFile(1, [
      ...connection(1000, a, [nodeHello]),
      ...connection(1010, b, [opensslHello.subarray(0, 30), opensslHello.subarray(30)]),
      ...connection(1020, c, [Buffer.from('SSH-2.0-OpenSSH_9.6\r\n')]),
    ]);
    const source = readPcap(chunked(file, 4096));
    const events = await collect(source);
    const starts = events.filter((e) => e.kind === 'flow_start');
    expect(starts.map((e) => [e.dstIp, e.serverName, e.tsSec + e.tsNsec / 1e9, e.tcpFlags])).toEqual([
      ['198.51.100.20', 'api.c2.example.net', 1000, S],
      ['198.51.100.21', 'front.cdn.example.org', 1010, S],
      ['198.51.100.22', undefined, 1020, S],
    ]);
    const ends = events.filter((e) => e.kind === 'flow_end');
    expect(ends.map((e) => e.serverName)).toEqual(['api.c2.example.net', 'front.cdn.example.org', undefined]);
    expect(source.stats.names).toMatchObject({ tlsServerNames: 2, httpHosts: 0, malformed: 0 });
  });

  it('reassembles a ClientHello by sequence number: out of order, retransmitted, overlapping, across the sequence wrap', async () => {
    const n = opensslHello.length;
    const h = Math.floor(n / 2);
    const cases: Array<Array<[number, number]>> = [
      [[h, n], [0, h]], // the second half first
      [[0, 30], [0, 30], [30, n]], // the first segment retransmitted
      [[0, 30], [0, 200], [100, n]], // overlapping retransmissions
      [[150, 250], [0, 60], [250, n], [60, 150]], // four pieces, shuffled, a server ACK after each
    ];
    const recs = cases.flatMap((cuts, i) => pieces(2000 + 10 * i, { src: '10.1.0.9', dst: `198.51.100.${30 + i}`, sport: 41000 + i, dport: 443 }, opensslHello, cuts));
    const source = readPcap(chunked(pcapFile(1, recs), 4096));
    const starts = (await collect(source)).filter((e) => e.kind === 'flow_start');
    expect(starts.map((e) => [e.dstIp, e.serverName])).toEqual(cases.map((_, i) => [`198.51.100.${30 + i}`, 'front.cdn.example.org']));
    expect(source.stats.names).toMatchObject({ tlsServerNames: 4, reassembled: 4, malformed: 0, unfinished: 0, segmentsOutOfOrder: 3, segmentsRepeated: 1 });
  });

  it("takes a first segment far outside the SYN's window (sequence numbers rewritten) as the payload start", async () => {
    // The SYN says 1000, the data says 0x80000000 on: parsed in place when whole, else reassembled from there.
    const flow = (t: number, dst: string, sport: number, cuts: Array<[number, number]>): Rec[] => {
      const c = { src: '10.1.0.9', dst, sport, dport: 443 };
      const rev = { src: dst, dst: c.src, sport: 443, dport: sport };
      const recs: PacketSpec[] = [{ ...c, flags: S, seq: 1000 }, { ...rev, flags: S | A, seq: 5000 }, { ...c, flags: A, seq: 1001 }];
      for (const [a, b] of cuts) recs.push({ ...c, flags: P | A, seq: 0x80000000 + a, data: opensslHello.subarray(a, b) });
      recs.push({ ...c, flags: F | A, seq: 0x80000000 + opensslHello.length }, { ...rev, flags: F | A, seq: 5001 });
      return recs.map((p, i) => ({ t: t + i * 0.01, data: ethernet(ipPacket(p)) }));
    };
    const n = opensslHello.length;
    const source = readPcap(chunked(pcapFile(1, [...flow(4000, '198.51.100.50', 43000, [[0, n]]), ...flow(4010, '198.51.100.51', 43001, [[0, 30], [30, n]])]), 4096));
    const starts = (await collect(source)).filter((e) => e.kind === 'flow_start');
    expect(starts.map((e) => [e.dstIp, e.serverName])).toEqual([
      ['198.51.100.50', 'front.cdn.example.org'],
      ['198.51.100.51', 'front.cdn.example.org'],
    ]);
    expect(source.stats.names).toMatchObject({ tlsServerNames: 2, reassembled: 1, unfinished: 0, segmentsOutOfOrder: 0, segmentsRepeated: 0 });
  });

  it('gives up, counted, past 16 client segments or a gap that never fills; the flows still start', async () => {
    const tiny = Array.from({ length: 17 }, (_, i): [number, number] => [i, i + 1]); // one byte a segment
    const source = readPcap(chunked(pcapFile(1, [
      ...pieces(3000, { src: '10.1.0.9', dst: '198.51.100.40', sport: 42000, dport: 443 }, nodeHello, tiny),
      ...pieces(3010, { src: '10.1.0.9', dst: '198.51.100.41', sport: 42001, dport: 443 }, nodeHello, [[40, nodeHello.length]]),
    ]), 4096));
    const events = await collect(source);
    expect(events.filter((e) => e.kind === 'flow_start').map((e) => [e.dstIp, e.serverName])).toEqual([
      ['198.51.100.40', undefined],
      ['198.51.100.41', undefined],
    ]);
    expect(events.filter((e) => e.kind === 'flow_end')).toHaveLength(2);
    expect(source.stats.names).toMatchObject({ tlsServerNames: 0, unfinished: 1, segmentsOutOfOrder: 1 });
  });

  it('names option off: no serverName, same flows', async () => {
    const file = pcapFile(1, connection(1000, { src: '10.1.0.5', dst: '198.51.100.20', sport: 40001, dport: 443 }, [nodeHello]));
    const events = await collect(readPcap(chunked(file, 4096), { names: false }));
    expect(events.map((e) => [e.kind, e.serverName])).toEqual([
      ['flow_start', undefined],
      ['flow_end', undefined],
    ]);
  });
});

describe('readPcap names from HTTP Host and DNS answers', () => {
  it('HTTP Host names the flow; a malformed ClientHello is counted and the flow still starts', async () => {
    const http = Buffer.from('GET /b HTTP/1.1\r\nHost: beacon.example.com:8080\r\nAccept: */*\r\n\r\n');
    const bad = Buffer.from([0x16, 3, 1, 0, 60, 1, 0, 0, 2, 3, 3]);
    const file = pcapFile(1, [
      ...connection(50, { src: '10.1.0.6', dst: '192.0.2.80', sport: 41000, dport: 8080 }, [http]),
      ...connection(60, { src: '10.1.0.6', dst: '192.0.2.81', sport: 41001, dport: 443 }, [Buffer.concat([bad, Buffer.alloc(60)])]),
    ]);
    const source = readPcap(chunked(file, 4096));
    const starts = (await collect(source)).filter((e) => e.kind === 'flow_start');
    expect(starts.map((e) => [e.dstIp, e.serverName])).toEqual([
      ['192.0.2.80', 'beacon.example.com'],
      ['192.0.2.81', undefined],
    ]);
    expect(source.stats.names).toMatchObject({ httpHosts: 1, malformed: 1 });
  });

  it('DNS answers from a real resolver exchange name later flows to those addresses, until the TTL ends', async () => {
    const responder = await startDnsResponder({
      'c2.example.com': [{ type: 'CNAME', target: 'edge.cdn.example.net', ttl: 300 }],
      'edge.cdn.example.net': [
        { type: 'A', address: '198.51.100.10', ttl: 60 },
        { type: 'A', address: '198.51.100.11', ttl: 60 },
      ],
    });
    try {
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${responder.port}`]);
      expect((await resolver.resolve4('c2.example.com')).sort()).toEqual(['198.51.100.10', '198.51.100.11']);
      const { query, response } = responder.responses[0] as { query: Buffer; response: Buffer };
      const dns = { src: '10.1.0.7', dst: '10.1.0.1', sport: 53000, dport: 53 };
      const file = pcapFile(1, [
        { t: 100, data: ethernet(ipPacket({ ...dns, proto: 'udp', data: query })) },
        { t: 100.01, data: ethernet(ipPacket({ src: dns.dst, dst: dns.src, sport: 53, dport: 53000, proto: 'udp', data: response })) },
        ...connection(101, { src: '10.1.0.7', dst: '198.51.100.11', sport: 42000, dport: 8443 }, [Buffer.from([1, 2, 3])]),
        { t: 102, data: ethernet(ipPacket({ src: '10.1.0.7', dst: '198.51.100.10', sport: 42001, dport: 4444, proto: 'udp', payload: 40 })) },
        // Past TTL (60 s) plus the default 300 s grace: no longer named.
        ...connection(500, { src: '10.1.0.7', dst: '198.51.100.10', sport: 42002, dport: 8443 }, [Buffer.from([1, 2, 3])]),
      ]);
      const source = readPcap(chunked(file, 4096));
      const starts = (await collect(source)).filter((e) => e.kind === 'flow_start');
      expect(starts.map((e) => [e.dstIp, e.dstPort, e.serverName])).toEqual([
        ['10.1.0.1', 53, undefined],
        ['198.51.100.11', 8443, 'c2.example.com'],
        ['198.51.100.10', 4444, 'c2.example.com'],
        ['198.51.100.10', 8443, undefined],
      ]);
      expect(source.stats.names).toMatchObject({ dnsAnswers: 2, dnsNamed: 2 });
    } finally {
      await responder.close();
    }
  });

  it('a flow whose client never sends is started unnamed after idleGapSec, in packet order', async () => {
    const c = { src: '10.1.0.8', dst: '192.0.2.9', sport: 43000, dport: 443 };
    const file = pcapFile(1, [
      { t: 10, data: ethernet(ipPacket({ ...c, flags: S })) },
      { t: 15, data: ethernet(ipPacket({ src: '10.1.0.8', dst: '192.0.2.10', sport: 43001, dport: 53, proto: 'udp', payload: 30 })) },
    ]);
    const events = await collect(readPcap(chunked(file, 4096), { endFlowsAtEof: false }));
    expect(events.map((e) => [e.kind, e.dstIp, e.tsSec])).toEqual([
      ['flow_start', '192.0.2.9', 10],
      ['flow_start', '192.0.2.10', 15],
    ]);
  });
});
