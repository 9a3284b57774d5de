/**
 * Cluster benchmark on a real `nats-server -js` this script starts (loopback, a free port, a
 * temporary store directory, removed at the end). Events: 100,000 pairs (20,000 hosts x 5
 * destinations), each connection a flow_start and its flow_end, in time order.
 *  1. codec: encodeEvents / decodeEvents in process; the detector alone on the same events
 *     (no NATS, no codec): what a shard cannot beat.
 *  2. ingest: one EventPublisher publishes the events into the stream (publish calls of CALL
 *     events, CONCURRENCY calls in flight; each resolves after JetStream acknowledged every
 *     message it sent).
 *  3. consumption: the stream is read back from the start by (a) a ShardConsumer that only
 *     decodes, (b) a whole shard in memory (createClusterShard: consumer, decode, detector
 *     ingest), (c) the same with its SQLite database; each consumes every partition (shard
 *     1/1), so the rate is one shard's. Then, for comparison, one event per message.
 *  4. end to end: two shards (1/2, 2/2) served over loopback HTTP, analysis_interval 2 s. A
 *     beacon's telemetry is POSTed to shard A; the time until shard B lists it, for a pair B
 *     owns (A -> stream -> B) and one A owns (B gathers it from A over NATS).
 * Wall-clock rates on a shared machine depend on what else runs: each line also gives the CPU
 * seconds used by this process and by nats-server, and events per CPU-second.
 * Usage: pnpm --filter @beacon/cluster bench [events]   (default 1,000,000)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '@beacon/config';
import { createDetector, type ConnectionEvent } from '@beacon/detector';
import { SqliteStore } from '@beacon/store-sqlite';
import { encodeTelemetryBatches, type RunningServer } from '@beacon/server';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { clusterSettings, connectNats, createClusterShard, decodeEvents, encodeEvents, ensureStream, EventPublisher, ownedPartitions, partitionOf, partitionSubject, ShardConsumer, type ClusterShard } from '../src/index.js';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const CALL = 32_000;
const CONCURRENCY = 4;
const PARTITIONS = 16;
const HOSTS = 20_000;
const ANALYSIS_INTERVAL = 2;

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

if (spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).error) {
  console.error('nats-server is not installed: apt-get install nats-server (the bench needs a real JetStream server)');
  process.exit(1);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** CPU seconds used so far by this process and by nats-server (from /proc; 0 where unreadable). */
let natsPid = 0;
function cpuNow(): { self: number; nats: number } {
  const u = process.cpuUsage();
  let nats = 0;
  try {
    const f = readFileSync(`/proc/${natsPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    nats = (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
  } catch {
    // not Linux, or gone
  }
  return { self: (u.user + u.system) / 1e6, nats };
}
/** `events` over the CPU time spent since `from`: what one unshared core would do. */
function cpuNote(from: { self: number; nats: number }, events: number): string {
  const to = cpuNow();
  const self = to.self - from.self;
  const nats = to.nats - from.nats;
  return `CPU: this process ${self.toFixed(2)} s (${fmt(events / self)} events per CPU-second), nats-server ${nats.toFixed(2)} s`;
}

async function startNats(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'beacon-cluster-bench-'));
  const child: ChildProcess = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
  natsPid = child.pid ?? 0;
  // However this process ends, the server and its store go with it.
  process.once('exit', () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const until = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = tcpConnect(port, '127.0.0.1', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > until || child.exitCode !== null) throw new Error(`nats-server did not listen on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) await new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `n` events over HOSTS hosts with 5 destinations each (100,000 pairs), in time order over the
 * last 50 minutes: each connection is a flow_start and, a second later, its flow_end on the same
 * source port, as the probe and the telemetry API deliver them.
 */
function makeEvents(n: number, nowSec: number): ConnectionEvent[] {
  const out: ConnectionEvent[] = new Array(n);
  const pairs = HOSTS * 5;
  const rounds = Math.ceil(n / (2 * pairs));
  const t0 = nowSec - 3000;
  for (let i = 0; i < n; i++) {
    const c = i >> 1; // connection
    const end = (i & 1) === 1;
    const pair = c % pairs;
    const round = Math.floor(c / pairs);
    const h = pair % HOSTS;
    const d = Math.floor(pair / HOSTS);
    const t = t0 + (round / rounds) * 2900 + (pair / pairs) * (2900 / rounds) * 0.5 + (end ? 1 : 0);
    const tsSec = Math.floor(t);
    out[i] = {
      tsSec,
      tsNsec: Math.floor((t - tsSec) * 1e9),
      srcIp: `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`,
      dstIp: `203.0.113.${10 + d}`,
      srcPort: 40_000 + (round % 20_000),
      dstPort: 443,
      protocol: 6,
      direction: 'egress',
      bytes: 300 + (i % 13),
      packets: 3,
      tcpFlags: end ? 0x11 : 2,
      kind: end ? 'flow_end' : 'flow_start',
      node: `dp-${h % 8}`,
      ...(end ? { durationSec: 1 } : {}),
    };
  }
  return out;
}

function codecBench(events: ConnectionEvent[]): void {
  // One message's worth per call, as the publisher builds them: up to 2,000 events of one partition.
  const groups: ConnectionEvent[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const e of events.slice(0, 200_000)) groups[partitionOf(e.srcIp, PARTITIONS)]!.push(e);
  const messages: ConnectionEvent[][] = [];
  for (const g of groups) for (let i = 0; i < g.length; i += 2000) messages.push(g.slice(i, i + 2000));
  const total = messages.reduce((a, m) => a + m.length, 0);
  let bodies: Uint8Array[] = [];
  let enc = 0;
  let dec = 0;
  // Timed by this process's CPU time: on a shared machine, wall-clock time of a loop measures the scheduler.
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  for (let round = 0; round < 5; round++) {
    let t = cpu();
    bodies = messages.map((m) => encodeEvents(m));
    enc = Math.max(enc, total / (cpu() - t));
    t = cpu();
    let n = 0;
    for (const b of bodies) n += decodeEvents(b).events.length;
    dec = Math.max(dec, n / (cpu() - t));
  }
  const bytes = bodies.reduce((a, b) => a + b.byteLength, 0);
  console.log(`codec: encode ${fmt(enc)} events per CPU-second, decode (with address checks) ${fmt(dec)} (best of 5); ${(bytes / total).toFixed(1)} bytes/event, ${fmt(bytes / bodies.length)} bytes per message of ${fmt(total / bodies.length)} events`);
}

async function ingestBench(url: string, events: ConnectionEvent[]): Promise<void> {
  const nc = await connectNats({ natsUrl: url }, 'beacon-bench-publisher');
  const publisher = new EventPublisher(nc, { partitions: PARTITIONS, timeoutMs: 30_000 });
  const cpu = cpuNow();
  const t = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const from = next;
      next += CALL;
      await publisher.publish(events.slice(from, from + CALL), { nodeId: 'dp-bench' });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const s = (performance.now() - t) / 1000;
  const { eventsPublished, messagesPublished } = publisher.stats;
  console.log(`ingest, one publisher: ${fmt(eventsPublished / s)} events/s acknowledged (target >= 200,000)`);
  console.log(`  ${fmt(eventsPublished)} events in ${fmt(messagesPublished)} messages (${(eventsPublished / messagesPublished).toFixed(0)} events/message), ${fmt(messagesPublished / s)} messages/s, ${s.toFixed(2)} s; ${cpuNote(cpu, eventsPublished)}; load ${load()}`);
  publisher.close();
  await nc.drain();
}

/** For comparison: one event per message, each an acknowledged JetStream publish, 256 in flight. */
async function oneEventPerMessage(url: string, events: ConnectionEvent[]): Promise<void> {
  const nc = await connectNats({ natsUrl: url }, 'beacon-bench-single');
  const js = jetstream(nc, { timeout: 30_000 });
  const n = Math.min(events.length, 20_000);
  const bodies = events.slice(0, n).map((e) => ({ subject: partitionSubject(partitionOf(e.srcIp, PARTITIONS)), body: encodeEvents([e]) }));
  const cpu = cpuNow();
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 256 }, async () => {
      while (next < n) {
        const m = bodies[next++]!;
        await js.publish(m.subject, m.body);
      }
    }),
  );
  const s = (performance.now() - t) / 1000;
  console.log(`ingest, one event per message instead (${fmt(n)} acknowledged publishes, 256 in flight): ${fmt(n / s)} events/s; ${cpuNote(cpu, n)}`);
  await nc.drain();
}

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function consumeBench(url: string, total: number): Promise<void> {
  const all = ownedPartitions({ index: 1, count: 1 }, PARTITIONS);
  // (a) transport and decode only
  {
    const nc = await connectNats({ natsUrl: url }, 'beacon-bench-consumer');
    let n = 0;
    const consumer = new ShardConsumer({ nc, stream: 'BEACON_EVENTS', partitions: all, ackAfterCommit: false, apply: (events) => void (n += events.length) });
    const t0 = performance.now();
    await consumer.start();
    const cpu = cpuNow();
    const t = performance.now();
    await waitFor('the consumer to read the stream', () => n >= total, 600_000);
    const s = (performance.now() - t) / 1000;
    console.log(`consumption, consumer and decode only: ${fmt(n / s)} events/s`);
    console.log(`  ${fmt(consumer.stats().messagesConsumed)} messages in ${s.toFixed(2)} s after ${((t - t0) / 1000).toFixed(2)} s creating ${PARTITIONS} consumers; ${cpuNote(cpu, n)}; load ${load()}`);
    await consumer.stop();
    await nc.drain();
  }
  // (b) a whole shard: decode and detector ingest; then the same with its SQLite database
  await shardBench(url, total, false);
  await shardBench(url, total, true);
}

async function shardBench(url: string, total: number, withStore: boolean): Promise<void> {
  const config = defaultConfig();
  config.cluster.partitions = PARTITIONS;
  const dir = mkdtempSync(join(tmpdir(), 'beacon-cluster-bench-db-'));
  const store = withStore ? new SqliteStore({ path: join(dir, 'shard.db') }) : undefined;
  const shard = await createClusterShard(config, clusterSettings(config, { nats: url, shard: '1/1' })!, store ? { store } : {});
  const t0 = performance.now();
  await shard.start();
  const cpu = cpuNow();
  const t = performance.now();
  const at = shard.consumer.stats().eventsConsumed;
  // The first pass over the pairs creates them; after it, events land on pairs the shard holds (the steady state).
  const warm = Math.min(total, 2 * HOSTS * 5);
  await waitFor('the shard to create the pairs', () => shard.consumer.stats().eventsConsumed >= warm, 600_000);
  const tw = performance.now();
  const cpuWarm = cpuNow();
  const atWarm = shard.consumer.stats().eventsConsumed;
  await waitFor('the shard to consume the stream', () => shard.consumer.stats().eventsConsumed >= total, 600_000);
  const end = performance.now();
  const s = (end - t) / 1000;
  const pairs = shard.controlPlane.detector.pairCount;
  const steady = total - atWarm;
  const what = withStore ? 'one shard with its SQLite database (flush every 5 s, checkpoint in the same transaction)' : 'one shard, memory only (consumer, decode, detector ingest)';
  console.log(`consumption, ${what}: ${fmt((total - at) / s)} events/s overall (target >= 300,000 per shard)`);
  console.log(`  ${s.toFixed(2)} s after ${((t - t0) / 1000).toFixed(2)} s starting, ${fmt(pairs)} pairs held; ${cpuNote(cpu, total - at)}; load ${load()}`);
  if (steady > 0) console.log(`  once the ${fmt(pairs)} pairs exist: ${fmt(steady / ((end - tw) / 1000))} events/s; ${cpuNote(cpuWarm, steady)}`);
  await shard.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The detector alone on the same events in process (no NATS, no codec): what a shard cannot beat. */
function detectorBench(events: ConnectionEvent[]): void {
  const d = createDetector({ now: () => Date.now() / 1000 });
  const warm = Math.min(events.length, 2 * HOSTS * 5);
  const feed = (from: number, to: number): { s: number; cpu: string } => {
    const cpu = cpuNow();
    const t = performance.now();
    for (let i = from; i < to; i += 1316) d.ingestBatch(events.slice(i, Math.min(to, i + 1316)), { trusted: true });
    return { s: (performance.now() - t) / 1000, cpu: cpuNote(cpu, to - from) };
  };
  const first = feed(0, warm);
  const rest = feed(warm, events.length);
  console.log(`detector alone (no NATS, no codec), same events in batches of 1,316: ${fmt(events.length / (first.s + rest.s))} events/s overall, ${fmt(d.pairCount)} pairs; load ${load()}`);
  console.log(`  creating the pairs: ${fmt(warm / first.s)} events/s (${first.cpu}); once they exist: ${fmt((events.length - warm) / rest.s)} events/s (${rest.cpu})`);
}

/** 30 check-ins a minute apart ending now, from `src`: a beacon once analysed. */
function beaconEvents(src: string, dst: string, nowSec: number): ConnectionEvent[] {
  return Array.from({ length: 30 }, (_, k) => ({ tsSec: nowSec - (29 - k) * 60, tsNsec: (k * 7919) % 1_000_000 * 1000, srcIp: src, dstIp: dst, srcPort: 50_000 + k, dstPort: 443, protocol: 6, direction: 'egress' as const, bytes: 310, packets: 1, tcpFlags: 2, kind: 'flow_start' as const, node: 'dp-bench' }));
}

async function endToEnd(url: string): Promise<void> {
  // A fresh stream: the events of the other parts would otherwise be consumed (and subjects
  // beacon.events.* belong to one stream per NATS account).
  {
    const nc = await connectNats({ natsUrl: url });
    await (await jetstreamManager(nc)).streams.delete('BEACON_EVENTS');
    await nc.close();
  }
  const config = defaultConfig();
  config.cluster.partitions = PARTITIONS;
  config.cluster.query_timeout = 1;
  config.detection.analysis_interval = ANALYSIS_INTERVAL;
  const shards: ClusterShard[] = [];
  const servers: RunningServer[] = [];
  for (const i of [1, 2]) {
    const s = await createClusterShard(config, clusterSettings(config, { nats: url, shard: `${i}/2` })!);
    await s.start();
    servers.push(await s.listen({ port: 0 }));
    shards.push(s);
  }
  const [a, b] = servers as [RunningServer, RunningServer];
  const bOwns = new Set(ownedPartitions({ index: 2, count: 2 }, PARTITIONS));
  const results: { owner: string; ms: number }[] = [];
  let host = 0;
  for (let trial = 0; trial < 8; trial++) {
    const wantB = trial % 2 === 0;
    let src: string;
    do src = `172.16.${(host >> 8) & 255}.${host++ & 255}`;
    while (bOwns.has(partitionOf(src, PARTITIONS)) !== wantB);
    const dst = `198.51.100.${trial + 1}`;
    const nowSec = Math.floor(Date.now() / 1000);
    const [body] = encodeTelemetryBatches(beaconEvents(src, dst, nowSec), { nodeId: 'dp-bench' });
    // Start each trial at a random point of the analysis cycle.
    await new Promise((r) => setTimeout(r, Math.random() * ANALYSIS_INTERVAL * 1000));
    const t = performance.now();
    const res = await fetch(`${a.url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body! });
    if (res.status !== 200) throw new Error(`telemetry to shard 1/2 answered ${res.status}: ${await res.text()}`);
    const key = `${src}->${dst}:443/TCP`;
    for (;;) {
      const list = (await (await fetch(`${b.url}/api/v1/beacons?limit=1000`)).json()) as { beacons: { pair_key: string }[] };
      if (list.beacons.some((x) => x.pair_key === key)) break;
      if (performance.now() - t > 10 * ANALYSIS_INTERVAL * 1000) throw new Error(`${key} not listed by shard 2/2 after ${10 * ANALYSIS_INTERVAL} s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    results.push({ owner: wantB ? 'B' : 'A', ms: performance.now() - t });
  }
  for (const owner of ['B', 'A']) {
    const ms = results.filter((r) => r.owner === owner).map((r) => r.ms).sort((x, y) => x - y);
    const what = owner === 'B' ? 'pair owned by B (A -> stream -> B)' : 'pair owned by A (B gathers from A)';
    console.log(`end to end, POST to shard A -> listed by shard B, ${what}: ${ms.map((m) => fmt(m)).join(', ')} ms; worst ${(ms.at(-1)! / 1000 / ANALYSIS_INTERVAL).toFixed(2)} analysis intervals of ${ANALYSIS_INTERVAL} s (target <= 2)`);
  }
  console.log(`  load ${load()}`);
  await Promise.all(shards.map((s) => s.close()));
}

const nats = await startNats();
// Interrupted: stop the server and remove its store all the same.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void nats.stop().finally(() => process.exit(130)));
try {
  console.log(`cluster bench: ${fmt(EVENTS)} events, ${HOSTS} hosts, ${PARTITIONS} partitions, nats-server on ${nats.url}; load ${load()}`);
  let events: ConnectionEvent[] | undefined = makeEvents(EVENTS, Math.floor(Date.now() / 1000));
  codecBench(events);
  detectorBench(events);
  {
    const nc = await connectNats({ natsUrl: nats.url });
    await ensureStream(await jetstreamManager(nc), { stream: 'BEACON_EVENTS', maxAgeSeconds: 86_400, replicas: 1 });
    await nc.close();
  }
  await ingestBench(nats.url, events);
  const few = events.slice(0, 20_000);
  // Not held while the shards run: a million live event objects would slow their garbage collection.
  events = undefined;
  await consumeBench(nats.url, EVENTS);
  await oneEventPerMessage(nats.url, few);
  await endToEnd(nats.url);
} finally {
  await nats.stop();
}
process.exit(0);
