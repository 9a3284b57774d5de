import type { ConnectionEvent } from '@beacon/detector';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, ensureStream, EventPublisher, ShardConsumer } from '@beacon/cluster';
import { NATS_SKIP_REASON, startTestNats, type TestNats } from '../helpers/nats.js';

const STREAM = 'TEST_EVENTS';
const PARTITIONS = [...Array(16).keys()];

function batch(n: number, k: number): ConnectionEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    tsSec: 1_700_000_000 + k * 100 + i,
    tsNsec: 0,
    srcIp: `10.0.${k % 7}.${i % 50}`,
    dstIp: '203.0.113.9',
    srcPort: 40_000 + i,
    dstPort: 443,
    protocol: 6,
    direction: 'egress',
    bytes: 300,
    packets: 1,
    tcpFlags: 2,
    kind: 'flow_start',
    node: 'dp-test',
  }));
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(NATS_SKIP_REASON !== null)(`shard consumer on a real nats-server${NATS_SKIP_REASON ? ` (skipped: ${NATS_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  let nats: TestNats;
  let nc: NatsConnection;
  beforeAll(async () => {
    nats = await startTestNats();
    nc = await connectNats({ natsUrl: nats.url });
    await ensureStream(await jetstreamManager(nc), { stream: STREAM, maxAgeSeconds: 3600, replicas: 1 });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.destroy();
  });

  it('resumes exactly after the saved checkpoint: nothing lost, nothing applied twice', async () => {
    const publisher = new EventPublisher(nc, { partitions: 16, maxEventsPerMessage: 64 });
    let sent = 0;
    for (let k = 0; k < 20; k++) sent += (await publisher.publish(batch(150, k), { batchId: `b${k}` })).events;
    // A resent batch is stored once.
    await publisher.publish(batch(150, 3), { batchId: 'b3' });
    expect(publisher.stats.duplicates).toBeGreaterThan(0);
    // Garbage on a partition's subject is counted and passed over.
    await jetstream(nc).publish('beacon.events.3', new TextEncoder().encode('not a batch'));

    let appliedA = 0;
    const a = new ShardConsumer({ nc, stream: STREAM, partitions: PARTITIONS, apply: (events) => void (appliedA += events.length) });
    a.restore({});
    await a.start();
    await until('first consumer to catch up', () => appliedA === sent);
    // "Save": the checkpoint and the state (appliedA) taken in the same tick, then committed.
    const saved = { checkpoint: a.checkpoint(), applied: appliedA };
    a.committed(a.pendingAcks());
    expect(a.stats().messagesInvalid).toBe(1);

    for (let k = 20; k < 40; k++) sent += (await publisher.publish(batch(150, k), { batchId: `b${k}` })).events;
    await until('first consumer to read past the checkpoint', () => appliedA === sent);
    await a.stop(); // dies without saving: its state goes back to `saved`

    let appliedB = saved.applied;
    const b = new ShardConsumer({ nc, stream: STREAM, partitions: PARTITIONS, apply: (events) => void (appliedB += events.length) });
    b.restore(saved.checkpoint);
    await b.start();
    await until('restarted consumer to catch up', () => appliedB >= sent);
    await new Promise((r) => setTimeout(r, 300)); // anything applied twice would show up now
    expect(appliedB).toBe(sent);
    expect(b.stats().eventsConsumed).toBe(sent);
    b.committed(b.pendingAcks());
    const lag = await b.lag();
    expect(lag).toHaveLength(16);
    expect(lag.reduce((s, l) => s + l.pending, 0)).toBe(0);
    await b.stop();
    publisher.close();
  });
});
