import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, type ConnectionEvent } from '@beacon/detector';
import { readPcap } from './readPcap.js';
import { chunked, collect } from './internal/testing/collect.js';
import { A, ethernet, F, ipPacket, P, pcapFile, S, type PacketSpec, type Rec } from './internal/testing/captureWriter.js';
import { rng } from './internal/testing/rng.js';
import { hasOpenssl, nodeClientHello, selfSigned, startHelloServer, type HelloServer } from './internal/testing/tlsHello.js';

const T0 = 1_700_000_000;
const C2_IPS = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];
const SITE_IPS = ['192.0.2.21', '192.0.2.22', '192.0.2.23', '192.0.2.24'];

/** One TLS connection: handshake, the ClientHello, a reply of `reply` bytes, FIN both ways. */
function tlsConnection(t: number, src: string, dst: string, sport: number, hello: Buffer, reply: number): Rec[] {
  const c = { src, dst, sport, dport: 443 };
  const r = { src: dst, dst: src, sport: 443, dport: sport };
  const pkts: PacketSpec[] = [
    { ...c, flags: S },
    { ...r, flags: S | A },
    { ...c, flags: A },
    { ...c, flags: P | A, data: hello },
    { ...r, flags: P | A, payload: reply },
    { ...c, flags: F | A },
    { ...r, flags: F | A },
  ];
  return pkts.map((p, i) => ({ t: t + i * 0.02, data: ethernet(ipPacket(p)) }));
}

const openssl = await hasOpenssl();

describe.skipIf(!openssl)('target: a CDN-rotating beacon in a pcap is one name-keyed finding (needs openssl)', () => {
  let server: HelloServer;
  const hellos = new Map<string, Buffer>();
  beforeAll(async () => {
    server = await startHelloServer('127.0.0.1', await selfSigned('example'));
    for (const name of ['c2.example.net', 'www.news.example']) {
      const next = server.nextHello();
      await nodeClientHello(server, name);
      hellos.set(name, await next);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('180 s +-20 % over 5 addresses for 8 h: one finding; browsing one busy site over 4 addresses: none', async () => {
    const r = rng(7);
    const recs: Rec[] = [];
    let sport = 40_000;
    for (let t = T0; t < T0 + 8 * 3600; t += 180 * (0.8 + 0.4 * r())) {
      recs.push(...tlsConnection(t, '10.2.0.5', C2_IPS[Math.floor(r() * C2_IPS.length)] as string, sport++, hellos.get('c2.example.net') as Buffer, 900 + Math.floor(r() * 40)));
    }
    for (let t = T0 + r() * 600; t < T0 + 8 * 3600; t += -Math.log(1 - r()) * 1200) {
      let u = t;
      for (let i = 0, n = 3 + Math.floor(r() * 20); i < n; i++) {
        u += r() < 0.7 ? r() * 3 : r() * 90;
        recs.push(...tlsConnection(u, '10.2.0.8', SITE_IPS[Math.floor(r() * SITE_IPS.length)] as string, sport++, hellos.get('www.news.example') as Buffer, Math.floor(500 + r() * 60_000)));
      }
    }
    recs.sort((a, b) => (a.t as number) - (b.t as number));
    const source = readPcap(chunked(pcapFile(1, recs), 1 << 20));
    const events: ConnectionEvent[] = (await collect(source)).filter((e) => e.kind === 'flow_start');
    expect(source.stats.names.tlsServerNames).toBe(events.length);
    const d = createDetector({ now: () => T0 + 8 * 3600, config: { maxHistory: 512 } });
    expect(d.ingestBatch(events).rejected).toBe(0);
    d.analyze();
    const beacons = d.beacons();
    const named = beacons.filter((b) => b.dstIps !== undefined);
    expect(named.map((b) => b.pairKey)).toEqual(['10.2.0.5->c2.example.net:443/TCP']);
    expect([...(named[0]?.dstIps ?? [])].sort()).toEqual(C2_IPS);
    // Every other beacon row is an address row of the same beacon, pointing to the name-keyed one.
    for (const b of beacons.filter((x) => x.dstIps === undefined)) expect(b.namePairKey).toBe('10.2.0.5->c2.example.net:443/TCP');
    expect(beacons.filter((b) => b.srcIp === '10.2.0.8')).toEqual([]);
  });
});
