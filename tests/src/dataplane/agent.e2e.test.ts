import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeaconItem } from '@beacon/detector';
import type { BeaconRow } from '@beacon/hunt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBeaconRows } from '../helpers/beaconRowContract.js';
import { createTestNet, liveSkipReason, runBeacon, runClient, type Running, type TestNet } from './harness.js';

const skip = liveSkipReason();
if (skip) console.warn(`skipping beacon agent end-to-end test: ${skip}`);

interface AgentJson {
  count: number;
  beacons: BeaconRow[];
  connections: Array<{ src_ip: string; dst_ip: string; dst_port: number; connection_count: number }>;
}

describe.skipIf(skip)('beacon agent on a live interface', () => {
  let net: TestNet;
  let dir: string;
  const servers: Server[] = [];
  const procs: Running[] = [];

  beforeAll(() => {
    net = createTestNet();
    dir = mkdtempSync(join(tmpdir(), 'beacon-agent-'));
  });
  afterAll(() => {
    for (const p of procs) p.kill();
    for (const s of servers) s.close();
    net?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function listen(host: string): Promise<number> {
    const server = createServer((sock) => {
      sock.on('data', () => {});
      sock.on('end', () => sock.end());
      sock.on('error', () => {});
    });
    servers.push(server);
    return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
  }

  it('flags a 100 ms +-20 % client as a beacon and not a Poisson client of the same rate', { timeout: 90_000 }, async () => {
    const periodicPort = await listen(net.hostIp);
    const poissonPort = await listen(net.hostIp);
    const alertsFile = join(dir, 'alerts.json');
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'data_plane:',
        '  idle_gap: 0.5',
        '  flow_timeout: 10',
        'detection:',
        '  min_connections: 10',
        '  min_beacon_interval: 0.05',
        '  analysis_interval: 2',
        'alerting:',
        '  enabled: true',
        '  syslog: { enabled: false }',
        `  file: { enabled: true, path: ${JSON.stringify(alertsFile)} }`,
        `persistence: { db_path: ${JSON.stringify(join(dir, 'agent.db'))}, flush_interval: 1 }`,
        '',
      ].join('\n'),
    );
    const agent = runBeacon(['agent', '-c', config, '-i', net.host, '--duration', '16', '--json', '--stats-interval', '2']);
    procs.push(agent);
    await agent.waitForStderr(/agent watching/);
    expect(agent.stderr()).toMatch(/eBPF attachment mode: \S+/);

    const periodic = runClient(net, periodicPort, 'periodic', 13_000);
    const poisson = runClient(net, poissonPort, 'poisson', 13_000);
    procs.push(periodic, poisson);
    expect(await periodic.exited).toBe(0);
    expect(await poisson.exited).toBe(0);
    expect(Number(periodic.stdout())).toBeGreaterThan(100);
    expect(Number(poisson.stdout())).toBeGreaterThan(60);

    expect(await agent.exited).toBe(0);
    // The agent keeps its state like the control plane does.
    expect(agent.stderr()).toMatch(/persistence: .*agent\.db/);
    expect(existsSync(join(dir, 'agent.db'))).toBe(true);
    const result = JSON.parse(agent.stdout()) as AgentJson;
    // The same beacon row schema as analyze --json and the hunt library.
    expectBeaconRows(result.beacons, 'agent --json beacons');
    const pair = (port: number): (c: { src_ip: string; dst_ip: string; dst_port: number }) => boolean => (c) =>
      c.src_ip === net.peerIp && c.dst_ip === net.hostIp && c.dst_port === port;

    // Both clients were seen in full...
    expect(result.connections.find(pair(periodicPort))?.connection_count).toBeGreaterThan(100);
    expect(result.connections.find(pair(poissonPort))?.connection_count).toBeGreaterThan(60);
    // ...the periodic one is a beacon, the Poisson one is not.
    const beacon = result.beacons.find(pair(periodicPort));
    expect(beacon, agent.stderr()).toBeDefined();
    expect(beacon!.is_beacon).toBe(true);
    expect(beacon!.interval_stats.median).toBeGreaterThan(0.08);
    expect(beacon!.interval_stats.median).toBeLessThan(0.12);
    expect(result.beacons.filter(pair(poissonPort)).filter((b) => b.is_beacon)).toEqual([]);

    // The alert went to the configured file sink and was logged on stderr.
    const alerts = readFileSync(alertsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { details: BeaconItem });
    expect(alerts.some((a) => a.details.dst_port === periodicPort)).toBe(true);
    expect(alerts.some((a) => a.details.dst_port === poissonPort)).toBe(false);
    expect(agent.stderr()).toMatch(new RegExp(`ALERT .*${net.hostIp.replace(/\./g, '\\.')}:${periodicPort}`));
  });
});
