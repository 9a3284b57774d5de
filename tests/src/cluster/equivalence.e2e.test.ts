import { clusterSettings, createClusterShard, type ClusterShard } from '@beacon/cluster';
import { defaultConfig } from '@beacon/config';
import { createControlPlane, type ControlPlane } from '@beacon/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_SKIP_REASON, startTestNats, type TestNats } from '../helpers/nats.js';
import { telemetryBodies, until } from './fixtures.js';

interface BeaconRow {
  pair_key: string;
  combined_score: number;
}
interface Status {
  events_received: number;
  storage: { pair_count: number; total_connections: number };
  partial?: boolean;
  cluster?: { members: { shard: string; status: string; lag_messages: number; unacknowledged_messages: number }[] };
}

const post = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

// Three shards on a real nats-server and one single-process control plane, fed the same telemetry.
describe.skipIf(NATS_SKIP_REASON !== null)(`cluster vs single process${NATS_SKIP_REASON ? ` (skipped: ${NATS_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  let nats: TestNats;
  const shards: ClusterShard[] = [];
  let single: ControlPlane;

  beforeAll(async () => {
    nats = await startTestNats();
    const config = defaultConfig();
    config.cluster.query_timeout = 0.5;
    for (const i of [1, 2, 3]) {
      const s = await createClusterShard(config, clusterSettings(config, { nats: nats.url, shard: `${i}/3` })!);
      await s.start();
      shards.push(s);
    }
    single = createControlPlane(config);
    await single.ready;
  });
  afterAll(async () => {
    await Promise.all(shards.map((s) => s.close()));
    await single?.close();
    await nats?.destroy();
  });

  it('finds the same beacons with the same scores and counts the same events', async () => {
    const { bodies, events, c2Pairs } = telemetryBodies(Math.floor(Date.now() / 1000));
    for (const [n, body] of bodies.entries()) {
      // Every shard takes telemetry: spread the batches over them, as a load balancer would.
      const res = await shards[n % 3]!.app.request('/api/v1/telemetry', post(body));
      expect(res.status).toBe(200);
      expect((await single.app.request('/api/v1/telemetry', post(body))).status).toBe(200);
    }
    const status = async (): Promise<Status> => (await (await shards[1]!.app.request('/api/v1/status')).json()) as Status;
    await until('the shards to consume every event', async () => (await status()).events_received === events.length);

    const analyzed = await shards[2]!.app.request('/api/v1/analyze', { method: 'POST' });
    expect(analyzed.status).toBe(200);
    single.detector.analyze();

    const fromCluster = (await (await shards[1]!.app.request('/api/v1/beacons?limit=10000')).json()) as { count: number; beacons: BeaconRow[]; partial: boolean };
    const fromSingle = (await (await single.app.request('/api/v1/beacons?limit=10000')).json()) as { count: number; beacons: BeaconRow[] };
    expect(fromCluster.partial).toBe(false);
    expect(fromSingle.count).toBeGreaterThan(c2Pairs.length / 2);
    expect(fromCluster.beacons.map((b) => b.pair_key).sort()).toEqual(fromSingle.beacons.map((b) => b.pair_key).sort());
    const score = new Map(fromSingle.beacons.map((b) => [b.pair_key, b.combined_score]));
    for (const b of fromCluster.beacons) expect(Math.abs(b.combined_score - score.get(b.pair_key)!)).toBeLessThanOrEqual(0.01);

    const [s, one] = [await status(), (await (await single.app.request('/api/v1/status')).json()) as Status];
    expect(s.events_received).toBe(one.events_received);
    expect(s.storage.pair_count).toBe(one.storage.pair_count);
    expect(s.storage.total_connections).toBe(one.storage.total_connections);
    expect(s.cluster?.members.map((m) => [m.shard, m.status])).toEqual([['1/3', 'ok'], ['2/3', 'ok'], ['3/3', 'ok']]);
    // Shards without a database acknowledge what they applied (ack-all, once per event-loop turn).
    await until('every message to be acknowledged', async () => (await status()).cluster!.members.every((m) => m.lag_messages === 0 && m.unacknowledged_messages === 0));

    // Each host's pairs live on one shard only.
    const hostsOf = async (s: ClusterShard): Promise<Set<string>> => new Set(((await (await s.app.request('/api/v1/connections?limit=100000&scope=local')).json()) as { pairs: { src_ip: string }[] }).pairs.map((p) => p.src_ip));
    const [h1, h2, h3] = await Promise.all(shards.map(hostsOf));
    for (const h of h1!) expect(h2!.has(h) || h3!.has(h)).toBe(false);
    for (const h of h2!) expect(h3!.has(h)).toBe(false);
  });

  it('answers partial: true and names the shard that does not answer', async () => {
    await shards[2]!.close();
    const res = (await (await shards[0]!.app.request('/api/v1/beacons')).json()) as { partial: boolean; missing_shards: string[] };
    expect(res.partial).toBe(true);
    expect(res.missing_shards).toEqual(['3/3']);
  });
});
