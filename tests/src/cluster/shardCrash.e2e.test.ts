import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventPublisher } from '@beacon/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/cli.js';
import { NATS_SKIP_REASON, startTestNats, type TestNats } from '../helpers/nats.js';
import { telemetryBodies, until } from './fixtures.js';

interface Status {
  events_received: number;
  partial: boolean;
  storage: { total_connections: number };
  cluster: { members: { shard: string; status: string; events_consumed?: number }[] };
}

// Two `beacon server --nats --shard` processes; one is SIGKILLed while events flow, then restarted on its database.
describe.skipIf(NATS_SKIP_REASON !== null)(`a shard killed mid-stream${NATS_SKIP_REASON ? ` (skipped: ${NATS_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  let nats: TestNats;
  let dir: string;
  const servers: ServerProcess[] = [];
  const shardArgs = (i: number): string[] => ['-c', join(dir, `shard${i}.yaml`), '--nats', nats.url, '--shard', `${i}/2`, '--listen-port', '0'];

  beforeAll(async () => {
    nats = await startTestNats();
    dir = await mkdtemp(join(tmpdir(), 'cluster-crash-'));
    for (const i of [1, 2]) {
      await writeFile(join(dir, `shard${i}.yaml`), `persistence:\n  db_path: ${join(dir, `shard${i}.db`)}\n  flush_interval: 1\ncluster:\n  query_timeout: 1\nlogging:\n  level: warning\n`);
    }
    [servers[1], servers[2]] = await Promise.all([startServer(shardArgs(1)), startServer(shardArgs(2))]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s?.stop()));
    await nats?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loses nothing and applies nothing twice, and every shard lists the beacons', async () => {
    const { events, c2Pairs } = telemetryBodies(Math.floor(Date.now() / 1000), 11);
    const pub = await openEventPublisher({ natsUrl: nats.url, maxEventsPerMessage: 200 });
    const chunks = 40;
    const per = Math.ceil(events.length / chunks);
    for (let k = 0; k < chunks; k++) {
      await pub.publisher.publish(events.slice(k * per, (k + 1) * per), { nodeId: 'dp-fixture' });
      if (k === 12) servers[2]!.child.kill('SIGKILL');
      if (k === 25) servers[2] = await startServer(shardArgs(2));
      await new Promise((r) => setTimeout(r, 40));
    }
    await pub.close();

    const status = async (s: ServerProcess): Promise<Status> => (await (await fetch(`${s.url}/api/v1/status`)).json()) as Status;
    await until('both shards to have consumed everything', async () => {
      const st = await status(servers[1]!);
      return !st.partial && st.events_received >= events.length;
    });
    await new Promise((r) => setTimeout(r, 500)); // a double application would show up now
    const st = await status(servers[2]!);
    expect(st.partial).toBe(false);
    expect(st.events_received).toBe(events.length);
    expect(st.storage.total_connections).toBe(events.length);
    expect(st.cluster.members.reduce((n, m) => n + (m.events_consumed ?? 0), 0)).toBe(events.length);

    expect((await fetch(`${servers[1]!.url}/api/v1/analyze`, { method: 'POST' })).status).toBe(200);
    const listed = async (s: ServerProcess): Promise<string[]> => ((await (await fetch(`${s.url}/api/v1/beacons?limit=1000`)).json()) as { beacons: { pair_key: string }[] }).beacons.map((b) => b.pair_key).sort();
    const [one, two] = [await listed(servers[1]!), await listed(servers[2]!)];
    expect(one).toEqual(two);
    const found = c2Pairs.filter((p) => one.includes(p));
    expect(found.length).toBeGreaterThan(c2Pairs.length / 2);
  });
});
