/**
 * Live server names: real TLS clients (Node's tls.connect and openssl s_client) and a tiny DNS
 * responder in a test namespace, the probe on the host's veth end. Needs root; skipped with the
 * reason otherwise.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { createDetector, type ConnectionEvent } from '@beacon/detector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, liveSkipReason, record, sleep, waitFor } from './internal/testing/harness.js';
import { haveOpenssl, type NameServers, PLAIN_PORT, startNameServers, TLS_PORT } from './internal/testing/nameServers.js';
import { createTestNet, type TestNet } from './internal/testing/netns.js';
import { buildFrame } from './internal/testing/frames.js';
import { loadNative, type NativeConfig } from './internal/native.js';
import { clientHello, dnsResponse } from './internal/testing/payloads.js';

const skip = liveSkipReason() ?? (haveOpenssl() ? undefined : 'live name tests need the openssl CLI (apt-get install -y openssl)');
const execFileAsync = promisify(execFile);

const C2_NAME = 'c2.example.test';
const CDN_NAME = 'cdn.example.test';

/** One TLS handshake with `servername`, then close. */
function tlsCall(host: string, servername: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host, port: TLS_PORT, servername, rejectUnauthorized: false }, () => {
      s.once('data', () => s.end());
    });
    s.once('close', () => resolve());
    s.once('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error(`TLS call to ${host} timed out`)));
  });
}

/** A plain TCP exchange (not HTTP, not TLS): only DNS can name it. */
function plainCall(host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host, port: PLAIN_PORT }, () => s.write('hello\n'));
    s.once('data', () => s.end());
    s.once('close', () => resolve());
    s.once('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error(`TCP call to ${host} timed out`)));
  });
}

/** Asks the namespace's DNS responder for an A record; resolves to the answered addresses' count. */
function dnsQuery(server: string, name: string): Promise<number> {
  const q = Buffer.concat([
    Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
    ...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0, 0, 1, 0, 1]),
  ]);
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('DNS query timed out'));
    }, 5000);
    s.once('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m.readUInt16BE(6));
    });
    s.send(q, 53, server);
  });
}

describe.skipIf(skip !== undefined)('live server names (TLS SNI, DNS answers)', () => {
  let net: TestNet;
  let servers: NameServers;
  let addrs: string[];

  beforeAll(async () => {
    net = createTestNet();
    const base = net.peerV4.split('.').slice(0, 3).join('.');
    addrs = [10, 11, 12, 13, 14].map((i) => `${base}.${i}`);
    for (const a of addrs) await net.exec('ip', ['addr', 'add', `${a}/24`, 'dev', net.peer]);
    servers = await startNameServers(net, { [CDN_NAME]: addrs.slice(0, 3) });
  }, 30_000);

  afterAll(async () => {
    await closeAll();
    servers?.stop();
    net?.destroy();
  });

  it('events of TLS flows carry the SNI of Node and openssl clients, on every address', async () => {
    const { probe, events } = await record({ interface: net.host, node: 'sni' });
    for (const a of addrs) await tlsCall(a, C2_NAME);
    await execFileAsync('openssl', ['s_client', '-connect', `${addrs[0]}:${TLS_PORT}`, '-servername', 'other.example.test'], { timeout: 10_000 })
      .catch(() => undefined); // s_client exits non-zero on the self-signed certificate; the handshake was made
    const tls = (): ConnectionEvent[] => events.filter((e) => e.dstPort === TLS_PORT && e.kind === 'flow_start');
    await waitFor(() => tls().length >= addrs.length + 1, 8000);
    const named = tls().filter((e) => e.serverName === C2_NAME);
    expect(new Set(named.map((e) => e.dstIp))).toEqual(new Set(addrs));
    expect(tls().filter((e) => e.serverName === 'other.example.test')).toHaveLength(1);
    await waitFor(() => events.filter((e) => e.dstPort === TLS_PORT && e.kind === 'flow_end').length >= addrs.length + 1, 15_000);
    // A flow's end carries the same name as its start.
    for (const end of events.filter((e) => e.dstPort === TLS_PORT && e.kind === 'flow_end')) {
      expect(end.serverName === C2_NAME || end.serverName === 'other.example.test').toBe(true);
    }
    const c = probe.counters();
    expect(c.names.tlsServerNames).toBeGreaterThanOrEqual(addrs.length + 1);
    expect(c.names.payloadRecords).toBe(c.names.payloadsRead + c.names.payloadDrops);
    expect(c.names.malformed).toBe(0);
  }, 40_000);

  it('a DNS answer names the addresses of flows without SNI', async () => {
    const { probe, events } = await record({ interface: net.host, node: 'dns' });
    expect(await dnsQuery(net.peerV4, CDN_NAME)).toBe(3);
    await waitFor(() => probe.counters().names.dnsAnswers >= 3, 5000);
    for (const a of addrs) await plainCall(a);
    const plain = (): ConnectionEvent[] => events.filter((e) => e.dstPort === PLAIN_PORT && e.kind === 'flow_start');
    await waitFor(() => plain().length >= addrs.length, 8000);
    for (const e of plain()) {
      expect(e.serverName).toBe(addrs.slice(0, 3).includes(e.dstIp) ? CDN_NAME : undefined);
    }
    expect(probe.counters().names.dnsNamed).toBeGreaterThanOrEqual(3);
  }, 30_000);

  it('crafted frames through XDP and TC: names within the capture, truncated past it, DNS answers', async () => {
    const { probe, events } = await record({ interface: net.host, node: 'frames' });
    const tcp = (sport: number, data: Buffer): Buffer =>
      buildFrame({ src: '192.0.2.50', dst: '198.51.100.77', sport, dport: 443, proto: 6, tcpFlags: 0x18, data });
    await probe.testRun('xdp', tcp(41000, clientHello('xdp.example.net')));
    await probe.testRun('tc_ingress', tcp(41001, clientHello('tc.example.net')));
    await probe.testRun('tc_egress', tcp(41002, clientHello('far.example.net', 1500)));
    await probe.testRun('xdp', buildFrame({ src: '192.0.2.53', dst: '192.0.2.50', sport: 53, dport: 33333, proto: 17, data: dnsResponse('frames.example.org', ['198.51.100.78']) }));
    await waitFor(() => probe.counters().names.payloadsRead >= 4 && events.filter((e) => e.srcIp === '192.0.2.50').length >= 3, 5000);
    const byPort = (p: number): string | undefined => events.find((e) => e.srcPort === p && e.kind === 'flow_start')?.serverName;
    expect(byPort(41000)).toBe('xdp.example.net');
    expect(byPort(41001)).toBe('tc.example.net');
    expect(byPort(41002)).toBeUndefined(); // SNI beyond the first 1024 bytes
    const n = probe.counters().names;
    expect(n).toMatchObject({ tlsServerNames: 2, truncated: 1, malformed: 0, dnsAnswers: 1, payloadDrops: 0 });
    // A flow to the address the DNS answer named gets that name.
    await probe.testRun('tc_ingress', buildFrame({ src: '192.0.2.50', dst: '198.51.100.78', sport: 41003, dport: 8080, proto: 17, payload: 10 }));
    await waitFor(() => events.some((e) => e.srcPort === 41003), 5000);
    expect(events.find((e) => e.srcPort === 41003)?.serverName).toBe('frames.example.org');
  }, 30_000);

  it('loads and reads names at TC only when XDP cannot copy bytes (a kernel before 5.18)', async () => {
    const native = loadNative();
    const h = native.open({ ifname: net.host, ingress: 'tc', tc: 'auto', egress: 0, xdpCapture: 0 } as Partial<NativeConfig> as NativeConfig, () => {});
    try {
      const frame = buildFrame({ src: '192.0.2.60', dst: '198.51.100.79', sport: 42000, dport: 443, proto: 6, tcpFlags: 0x18, data: clientHello('old.example.net') });
      await native.testRun(h, 'xdp', frame, 1);
      expect(native.counters(h).payloadRecords).toBe(0);
      await native.testRun(h, 'tc_ingress', buildFrame({ src: '192.0.2.60', dst: '198.51.100.79', sport: 42001, dport: 443, proto: 6, tcpFlags: 0x18, data: clientHello('old.example.net') }), 1);
      expect(native.counters(h).payloadRecords).toBe(1);
    } finally {
      native.close(h);
    }
  });

  it('serverNames: false copies no payload and names nothing', async () => {
    const { probe, events } = await record({ interface: net.host, node: 'off', serverNames: false });
    await tlsCall(addrs[0] as string, C2_NAME);
    await waitFor(() => events.some((e) => e.dstPort === TLS_PORT && e.kind === 'flow_start'), 5000);
    expect(events.filter((e) => e.serverName !== undefined)).toEqual([]);
    expect(probe.counters().names.payloadRecords).toBe(0);
  }, 20_000);

  it('a jittered beacon rotating over 5 addresses of one name is one name-keyed finding', async () => {
    const { events } = await record({ interface: net.host, node: 'beacon' });
    // A 0.6 s beacon with 20 % jitter, each callback to one of the 5 addresses in turn-ish order.
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const calls = 30;
    for (let i = 0; i < calls; i++) {
      await tlsCall(addrs[Math.floor(rnd() * addrs.length)] as string, C2_NAME);
      await sleep(600 * (0.8 + 0.4 * rnd()));
    }
    await waitFor(() => events.filter((e) => e.dstPort === TLS_PORT && e.kind === 'flow_start').length >= calls, 8000);
    const starts = events.filter((e) => e.dstPort === TLS_PORT && e.kind === 'flow_start');
    const last = Math.max(...events.map((e) => e.tsSec + e.tsNsec / 1e9));
    const detector = createDetector({
      now: () => last + 1,
      config: { minBeaconInterval: 0.2, minConnections: 10, minDuration: 3600 },
    });
    const ordered = events.slice().sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
    expect(detector.ingestBatch(ordered).rejected).toBe(0);
    detector.analyze();
    const named = detector.beacons().filter((b) => b.dstIps !== undefined);
    expect(named.map((b) => b.serverName)).toEqual([C2_NAME]);
    const finding = named[0];
    expect(finding?.pairKey).toBe(`${net.hostV4}->${C2_NAME}:${TLS_PORT}/TCP`);
    expect(new Set(finding?.dstIps).size).toBe(new Set(starts.map((e) => e.dstIp)).size);
    expect(finding?.dstIps?.length).toBeGreaterThanOrEqual(4);
    expect(finding?.result.periodSeconds).toBeGreaterThan(0.4);
    expect(finding?.result.periodSeconds).toBeLessThan(1.2);
    // No address alone is reported as its own beacon: each points at the name-keyed finding.
    for (const b of detector.beacons().filter((x) => x.dstIps === undefined && x.dstPort === TLS_PORT)) {
      expect(b.namePairKey).toBe(finding?.pairKey);
    }
  }, 60_000);
});
