import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createDetector } from '@beacon/detector';
import { createApp, listen, type RunningServer, type TelemetryBatch } from '@beacon/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNet, liveSkipReason, run, runBeacon, runClient, sleep, type Running, type TestNet } from './harness.js';

const skip = liveSkipReason();
if (skip) console.warn(`skipping beacon collect end-to-end tests: ${skip}`);

interface FinalStats {
  eventsSeen: number;
  eventsSent: number;
  eventsAllowlisted: number;
  eventsDroppedOverflow: number;
  requestsFailed: number;
  buffered: number;
}

/** A receiver that records what arrives at /api/v1/telemetry, decoded, with its headers. */
function recorder(port: number): Promise<{ server: HttpServer; requests: Array<{ headers: IncomingHttpHeaders; batch: TelemetryBatch }> }> {
  const requests: Array<{ headers: IncomingHttpHeaders; batch: TelemetryBatch }> = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      const batch = JSON.parse(text) as TelemetryBatch;
      requests.push({ headers: req.headers, batch });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'accepted', batch_id: batch.batch_id, events_received: batch.events.length }));
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, requests })));
}

function freePort(): Promise<number> {
  const s = createServer();
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  }));
}

describe.skipIf(skip)('beacon collect on a live interface', () => {
  let net: TestNet;
  let dir: string;
  const closers: Array<() => unknown> = [];
  const procs: Running[] = [];

  beforeAll(async () => {
    net = createTestNet();
    dir = mkdtempSync(join(tmpdir(), 'beacon-collect-'));
    const tcp: Server = createServer((sock) => {
      sock.on('data', () => {});
      sock.on('end', () => sock.end());
      sock.on('error', () => {});
    });
    closers.push(() => tcp.close());
    await new Promise<void>((resolve) => tcp.listen(7000, net.hostIp, resolve));
    const allowlisted: Server = createServer((sock) => sock.on('error', () => {}).on('end', () => sock.end()));
    closers.push(() => allowlisted.close());
    await new Promise<void>((resolve) => allowlisted.listen(7001, net.hostIp, resolve));
  });
  afterAll(async () => {
    for (const p of procs) p.kill();
    for (const close of closers.splice(0)) await close();
    net?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(name: string, lines: string[]): string {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  it('delivers telemetry to a control plane: token, allowlist applied, drop counters in its status', { timeout: 60_000 }, async () => {
    const detector = createDetector({ config: { minConnections: 5 } });
    const server: RunningServer = await listen(createApp({ detector, apiKey: 'dp-secret' }), { port: 0 });
    closers.push(() => server.close());
    const config = writeConfig('real.yaml', [
      'data_plane:',
      '  export_interval: 1',
      '  control_plane_host: 127.0.0.1',
      `  control_plane_port: ${server.port}`,
      'control_plane:',
      '  api_key: dp-secret',
      'whitelist:',
      '  destination_ports: [7001]',
    ]);
    const collect = runBeacon(['collect', '-c', config, '-i', net.host, '--node-id', 'dp-e2e', '--duration', '6', '--json', '--stats-interval', '1']);
    procs.push(collect);
    await collect.waitForStderr(/collecting on/);
    expect(collect.stderr()).toMatch(/eBPF attachment mode: \S+/);
    const kept = runClient(net, 7000, 'periodic', 2000, 100);
    const dropped = runClient(net, 7001, 'periodic', 1000, 100);
    procs.push(kept, dropped);
    expect(await kept.exited).toBe(0);
    expect(await dropped.exited).toBe(0);
    expect(await collect.exited).toBe(0);

    const final = JSON.parse(collect.stdout()) as FinalStats;
    expect(final.eventsAllowlisted).toBeGreaterThanOrEqual(Number(dropped.stdout()));
    expect(final.eventsSent).toBe(final.eventsSeen - final.eventsAllowlisted);
    expect(final.buffered).toBe(0);

    const status = (await (await fetch(`${server.url}/api/v1/status`)).json()) as Record<string, number>;
    expect(status.events_received).toBe(final.eventsSent);
    expect(status.ebpf_drops_total).toBe(0);
    expect(status.buffer_overflow_total).toBe(0);
    const connections = (await (await fetch(`${server.url}/api/v1/connections`)).json()) as { pairs: Array<{ src_ip: string; dst_ip: string; dst_port: number; connection_count: number }> };
    const pair = connections.pairs.find((p) => p.src_ip === net.peerIp && p.dst_ip === net.hostIp && p.dst_port === 7000);
    expect(pair?.connection_count).toBe(Number(kept.stdout()));
    expect(connections.pairs.some((p) => p.dst_port === 7001)).toBe(false);
    const metrics = await (await fetch(`${server.url}/api/v1/metrics`)).text();
    expect(metrics).toMatch(/^beacon_detector_ebpf_drops_total(\{[^}]*\})? 0$/m);
  });

  it('sends the HTTP Host the probe read as the optional server_name field', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const { server, requests } = await recorder(port);
    closers.push(() => server.close());
    const config = writeConfig('names.yaml', [
      'data_plane:',
      '  export_interval: 0.5',
      '  control_plane_host: 127.0.0.1',
      `  control_plane_port: ${port}`,
    ]);
    const collect = runBeacon(['collect', '-c', config, '-i', net.host, '--node-id', 'dp-names', '--json', '--stats-interval', '1']);
    procs.push(collect);
    await collect.waitForStderr(/collecting on/);
    // Three HTTP requests with a Host header from the namespace, each on its own connection.
    const client = run('ip', ['netns', 'exec', net.ns, 'python3', '-c', [
      'import socket, time',
      'for i in range(3):',
      `    s = socket.create_connection(('${net.hostIp}', 7000))`,
      "    s.sendall(b'GET /beat HTTP/1.1\\r\\nHost: C2.Example.Test:7000\\r\\n\\r\\n')",
      '    s.shutdown(socket.SHUT_WR); s.recv(1); s.close(); time.sleep(0.2)',
    ].join('\n')]);
    procs.push(client);
    expect(await client.exited, client.stderr()).toBe(0);
    const until = Date.now() + 15_000;
    const named = (): number => requests.flatMap((r) => r.batch.events).filter((e) => e.dst_port === 7000 && e.server_name === 'c2.example.test').length;
    while (named() < 6 && Date.now() < until) await sleep(100); // 3 starts and 3 ends
    collect.child.kill('SIGTERM');
    expect(await collect.exited).toBe(0);
    const events = requests.flatMap((r) => r.batch.events).filter((e) => e.dst_port === 7000);
    expect(events.filter((e) => e.server_name === 'c2.example.test').length).toBeGreaterThanOrEqual(6);
    expect(events.every((e) => e.server_name === 'c2.example.test')).toBe(true);
  });

  it('buffers while the control plane is away, counts the overflow, delivers after it comes back; exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const config = writeConfig('down.yaml', [
      'data_plane:',
      '  export_interval: 0.5',
      '  control_plane_host: 127.0.0.1',
      `  control_plane_port: ${port}`,
      '  max_buffer_size: 8',
    ]);
    const collect = runBeacon(['collect', '-c', config, '-i', net.host, '--token', 'tok-1', '--node-id', 'dp-down', '--json', '--stats-interval', '1']);
    procs.push(collect);
    await collect.waitForStderr(/collecting on/);
    const client = runClient(net, 7000, 'periodic', 2000, 100);
    procs.push(client);
    expect(await client.exited).toBe(0);
    await collect.waitForStderr(/control plane lost/, 10_000);
    await sleep(1500); // the flow_end records of the last connections

    const { server, requests } = await recorder(port);
    closers.push(() => server.close());
    const until = Date.now() + 10_000;
    while (requests.length === 0 && Date.now() < until) await sleep(50);
    await sleep(500);
    collect.child.kill('SIGTERM');
    expect(await collect.exited).toBe(0);

    const final = JSON.parse(collect.stdout()) as FinalStats;
    expect(final.requestsFailed).toBeGreaterThan(0);
    expect(final.eventsDroppedOverflow).toBeGreaterThan(0);
    expect(final.eventsDroppedOverflow + final.eventsSent).toBe(final.eventsSeen);
    expect(requests.length).toBeGreaterThan(0);
    const events = requests.flatMap((r) => r.batch.events);
    expect(events.length).toBe(final.eventsSent);
    expect(events.length).toBeLessThanOrEqual(8);
    for (const { headers, batch } of requests) {
      expect(headers.authorization).toBe('Bearer tok-1');
      expect(headers['x-node-id']).toBe('dp-down');
      expect(headers['content-encoding']).toBe('gzip');
      expect(batch.node_id).toBe('dp-down');
      expect(batch.data_plane_stats).toEqual({ events_dropped_ebpf: 0, events_dropped_overflow: expect.any(Number) as number });
    }
    expect(requests[0]!.batch.data_plane_stats!.events_dropped_overflow).toBeGreaterThan(0);
    expect(requests.at(-1)!.batch.data_plane_stats!.events_dropped_overflow).toBe(final.eventsDroppedOverflow);
    expect(events.every((e) => e.src_ip === net.peerIp && e.dst_ip === net.hostIp && e.dst_port === 7000)).toBe(true);
  });
});
