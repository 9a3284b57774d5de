import { createServer, type Server } from 'node:net';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, liveSkipReason, record, sleep, waitFor } from './internal/testing/harness.js';
import { createTestNet, type TestNet } from './internal/testing/netns.js';
import { buildFrame } from './internal/testing/frames.js';
import { sendRawFrames, sendUdp, tcpSession } from './internal/testing/traffic.js';

const skip = liveSkipReason();
if (skip) console.warn(`skipping live traffic tests: ${skip}`);

let net: TestNet | undefined;
const servers: Array<{ close(): unknown }> = [];

afterEach(async () => {
  await closeAll();
  for (const s of servers.splice(0)) s.close();
  net?.destroy();
  net = undefined;
});

function echoServer(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((sock) => {
    sock.on('data', (d) => sock.write(Buffer.alloc(d.length, 'r')));
    sock.on('end', () => sock.end());
    sock.on('error', () => {});
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

function udpSink(host: string): Promise<number> {
  const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  servers.push(sock);
  return new Promise((resolve) => sock.bind(0, host, () => resolve(sock.address().port)));
}

describe.skipIf(skip)('live traffic through the probe', () => {
  // auto is TC ingress on veth; xdp forces the XDP path (payload from the IP length fields).
  it.each([
    ['IPv4', false, 'auto'],
    ['IPv6', true, 'auto'],
    ['IPv4', false, 'xdp'],
    ['IPv6', true, 'xdp'],
  ] as const)('TCP over %s (v6 %s, attachMode %s): flow_start with initiator as src, flow_end with totals', async (_name, v6, attachMode) => {
    net = createTestNet();
    const host = v6 ? net.hostV6 : net.hostV4;
    const { port } = await echoServer(host);
    const { events } = await record({ interface: net.host, idleGap: 5, attachMode });
    const before = Date.now() / 1000;
    await tcpSession(net, host, port, 1, 100, 0);
    await waitFor(() => events.some((e) => e.kind === 'flow_end'));
    const start = events.find((e) => e.kind === 'flow_start');
    const end = events.find((e) => e.kind === 'flow_end');
    const peer = v6 ? net.peerV6 : net.peerV4;
    expect(start).toMatchObject({ srcIp: peer, dstIp: host, dstPort: port, protocol: 6, direction: 'ingress', bytes: 0, packets: 1, tcpFlags: 0x02 });
    expect(start!.tsSec + start!.tsNsec / 1e9).toBeGreaterThan(before - 1);
    expect(start!.tsSec + start!.tsNsec / 1e9).toBeLessThan(Date.now() / 1000 + 1);
    expect(end).toMatchObject({ srcIp: peer, dstIp: host, dstPort: port, protocol: 6, direction: 'ingress' });
    expect(end!.srcPort).toBe(start!.srcPort);
    expect(end!.bytes).toBe(200); // request + echoed reply
    expect(end!.packets).toBeGreaterThanOrEqual(5);
    expect(end!.tcpFlags & 0x13).toBe(0x13); // SYN, ACK and FIN seen
    expect(end!.durationSec).toBeGreaterThanOrEqual(0);
    expect(events.filter((e) => e.kind === 'flow_start')).toHaveLength(1); // trailing packets absorbed
  });

  it.each([
    ['IPv4', false],
    ['IPv6', true],
  ])('UDP over %s: one flow_start, bursts after idle gaps, idle eviction', async (_name, v6) => {
    net = createTestNet();
    const host = v6 ? net.hostV6 : net.hostV4;
    const port = await udpSink(host);
    const { events, probe } = await record({ interface: net.host, idleGap: 0.05, flowTimeout: 0.3, sweepInterval: 0.05 });
    await sendUdp(net, host, port, 3, 37, 150, 40000 + (v6 ? 1 : 0));
    await waitFor(() => events.some((e) => e.kind === 'flow_end'));
    const peer = v6 ? net.peerV6 : net.peerV4;
    expect(events.map((e) => e.kind)).toEqual(['flow_start', 'burst', 'burst', 'flow_end']);
    for (const e of events) {
      expect(e).toMatchObject({ srcIp: peer, dstIp: host, srcPort: 40000 + (v6 ? 1 : 0), dstPort: port, protocol: 17, direction: 'ingress' });
    }
    expect(events[0]).toMatchObject({ bytes: 37, packets: 1 });
    expect(events[3]).toMatchObject({ bytes: 111, packets: 3 });
    expect(events[3]!.durationSec).toBeGreaterThan(0.25);
    expect(probe.counters().idleEvictions).toBe(1);
  });

  it('egress: a flow started by this host is reported as egress with the host as src', async () => {
    net = createTestNet();
    const { events } = await record({ interface: net.host, idleGap: 5 });
    const sock = createSocket('udp4');
    servers.push(sock);
    await new Promise<void>((r) => sock.send(Buffer.alloc(21), 9999, net!.peerV4, () => r()));
    await waitFor(() => events.length > 0);
    expect(events[0]).toMatchObject({ kind: 'flow_start', srcIp: net.hostV4, dstIp: net.peerV4, dstPort: 9999, direction: 'egress', bytes: 21 });
  });

  it.each([
    ['802.1Q', [100], 'auto'],
    ['802.1ad + 802.1Q', [200, 100], 'auto'],
    ['802.1Q', [100], 'xdp'],
    ['802.1ad + 802.1Q', [200, 100], 'xdp'],
  ] as const)('parses %s-tagged frames sent on the wire (ids %j, attachMode %s)', async (_name, vlans, attachMode) => {
    net = createTestNet();
    const { events, probe } = await record({ interface: net.host, idleGap: 5, attachMode });
    const v4 = buildFrame({ src: '10.201.0.2', dst: '10.201.0.1', sport: 40100, dport: 53, payload: 64, vlans: [...vlans] });
    const v6 = buildFrame({ src: 'fd00:beef:1::2', dst: 'fd00:beef:1::1', sport: 40101, dport: 443, proto: 6, vlans: [...vlans] });
    await sendRawFrames(net, [v4.toString('hex'), v6.toString('hex')]);
    await waitFor(() => events.length >= 2);
    await sleep(100);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'flow_start', srcIp: '10.201.0.2', dstIp: '10.201.0.1', srcPort: 40100, dstPort: 53, protocol: 17, bytes: 64, direction: 'ingress' });
    expect(events[1]).toMatchObject({ kind: 'flow_start', srcIp: 'fd00:beef:1::2', dstIp: 'fd00:beef:1::1', srcPort: 40101, dstPort: 443, protocol: 6, bytes: 0, tcpFlags: 2 });
    expect(probe.counters().parseErrors).toBe(0);
  });

  it('keep-alive TCP with a request every 200 ms gives one burst per request', async () => {
    net = createTestNet();
    const { port } = await echoServer(net.hostV4);
    const { events } = await record({ interface: net.host, idleGap: 0.05 });
    await tcpSession(net, net.hostV4, port, 6, 50, 200);
    await waitFor(() => events.some((e) => e.kind === 'flow_end'));
    const bursts = events.filter((e) => e.kind === 'burst');
    expect(events.filter((e) => e.kind === 'flow_start')).toHaveLength(1);
    expect(bursts).toHaveLength(6);
    for (const b of bursts) expect(b).toMatchObject({ srcIp: net.peerV4, dstPort: port, bytes: 50, packets: 1, direction: 'ingress' });
    const gaps = bursts.slice(1).map((b, i) => b.tsSec + b.tsNsec / 1e9 - (bursts[i]!.tsSec + bursts[i]!.tsNsec / 1e9));
    for (const g of gaps) expect(g).toBeGreaterThan(0.15);
  });
});
