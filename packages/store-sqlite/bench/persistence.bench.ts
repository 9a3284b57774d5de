// Persistence benchmark: restart time with 100,000 pairs stored, telemetry ingest rate with
// persistence on versus off (one run, same process), and database size per 100,000 pairs.
// Run: pnpm --filter @beacon/store-sqlite bench
import { defaultConfig, toDetectorConfig } from '@beacon/config';
import { createDetector, type DetectorState, type PairSnapshot } from '@beacon/detector';
import { createControlPlane } from '@beacon/server';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { fullDelta } from '../src/internal/fixtures.testutil.js';
import { SqliteStore } from '../src/index.js';

const PAIRS = 100_000;
const HISTORY = Number(process.env.BENCH_HISTORY ?? 64);
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-'));
const ms = (t0: number): number => Math.round(performance.now() - t0);
const mb = (b: number): string => (b / 1048576).toFixed(1);

function syntheticState(nowSec: number): DetectorState {
  const pairs: PairSnapshot[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const period = 30 + (i % 600);
    const start = nowSec - period * HISTORY;
    const times = Array.from({ length: HISTORY }, (_, k) => Math.round((start + k * period + ((i * 7 + k * 13) % 1000) / 1000) * 1000) / 1000);
    pairs.push({
      srcIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      dstIp: `198.51.100.${i % 250}`,
      dstPort: 443,
      protocol: 6,
      firstSeen: times[0]!,
      lastSeen: times[HISTORY - 1]!,
      count: HISTORY,
      maxFlowSec: 0,
      longFlows: 0,
      times,
      sizes: times.map((_, k) => 200 + ((i + k) % 900)),
    });
  }
  return { version: 1, exportedAt: nowSec, pairs, beacons: [], cooldowns: [], counters: { recordsAdded: PAIRS * HISTORY } };
}

async function restartBench(): Promise<void> {
  const path = join(dir, 'restart.db');
  const config = defaultConfig();
  config.control_plane.listen_port = 0;
  config.control_plane.data_retention = 7 * 86_400;
  const nowSec = Date.now() / 1000;
  const state = syntheticState(nowSec);
  let store = new SqliteStore({ path });
  let t0 = performance.now();
  await store.save(fullDelta(state));
  const writeMs = ms(t0);
  await store.close();
  const size = statSync(path).size;
  console.log(`stored ${PAIRS} pairs x ${HISTORY} events: one transaction ${writeMs} ms; database ${mb(size)} MiB (${Math.round(size / PAIRS)} B/pair)`);

  for (let round = 1; round <= 3; round++) {
    t0 = performance.now();
    store = new SqliteStore({ path });
    const openMs = ms(t0);
    const cp = createControlPlane(config, { store, sinks: [] });
    await cp.ready;
    const readyMs = ms(t0);
    const running = await cp.listen({ port: 0 });
    const res = await fetch(`${running.url}/api/v1/health`);
    const servingMs = ms(t0);
    const pairs = cp.detector.stats().storage.pair_count;
    console.log(`restart ${round}: open+quick_check ${openMs} ms, load+importState ${readyMs - openMs} ms, serving (health ${res.status}) after ${servingMs} ms; ${pairs} pairs restored`);
    await cp.close();
  }
  // The two parts of load+importState, measured apart.
  for (let round = 1; round <= 2; round++) {
    store = new SqliteStore({ path, check: false });
    t0 = performance.now();
    const loaded = await store.load();
    const loadMs = ms(t0);
    await store.close();
    const detector = createDetector({ config: toDetectorConfig(config) });
    t0 = performance.now();
    detector.importState(loaded!, { trusted: true });
    console.log(`split ${round}: SQLite read + decode ${loadMs} ms, detector importState ${ms(t0)} ms`);
  }
}

function batch(b: number, nowSec: number): Uint8Array {
  const events = Array.from({ length: 2000 }, (_, i) => {
    const p = (b * 2000 + i) % 50_000;
    return {
      timestamp_ns: String(BigInt(Math.round((nowSec - 600 + b * 2 + i / 1000) * 1000)) * 1_000_000n),
      src_ip: `10.1.${p >> 8}.${p & 255}`,
      dst_ip: `198.51.100.${p % 200}`,
      src_port: 1024 + (b % 60_000),
      dst_port: 443,
      packet_size: 310,
      protocol: 6,
      tcp_flags: 2,
      direction: 1,
    };
  });
  return new Uint8Array(gzipSync(JSON.stringify({ batch_id: `b-${b}`, node_id: 'bench', created_at: new Date().toISOString(), event_count: events.length, events })));
}

async function ingestRate(persist: boolean, bodies: Uint8Array[]): Promise<{ rate: number; flushes: number; lastFlushMs: number; blockingMs: number; maxStallMs: number }> {
  const config = defaultConfig();
  const path = join(dir, `ingest-${persist}-${Date.now()}.db`);
  const store = persist ? new SqliteStore({ path }) : undefined;
  const cp = createControlPlane(config, { sinks: [], ...(store ? { store } : {}) });
  await cp.ready;
  cp.start();
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const end = performance.now() + INGEST_SECONDS * 1000;
  const t0 = performance.now();
  let events = 0;
  for (let b = 0; performance.now() < end; b++) {
    const res = await cp.app.request('/api/v1/telemetry', { method: 'POST', body: bodies[b % bodies.length]!, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    if (res.status !== 200) throw new Error(`telemetry answered ${res.status}`);
    events += 2000;
  }
  const rate = events / ((performance.now() - t0) / 1000);
  stalls.disable();
  const s = store?.stats();
  await cp.close();
  return { rate, flushes: s?.saves ?? 0, lastFlushMs: s?.lastSaveMs ?? 0, blockingMs: s?.lastSaveBlockingMs ?? 0, maxStallMs: stalls.max / 1e6 };
}

async function ingestBench(): Promise<void> {
  const nowSec = Date.now() / 1000;
  const bodies = Array.from({ length: 200 }, (_, b) => batch(b, nowSec));
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 1; round <= 2; round++) {
    const a = await ingestRate(false, bodies);
    off.push(a.rate);
    const b = await ingestRate(true, bodies);
    on.push(b.rate);
    console.log(
      `ingest round ${round}: persistence off ${Math.round(a.rate)} events/s (longest event-loop stall ${Math.round(a.maxStallMs)} ms), ` +
        `on ${Math.round(b.rate)} events/s (${b.flushes} flushes, last: transaction ${Math.round(b.lastFlushMs)} ms on the writer thread, ${Math.round(b.blockingMs)} ms packing on the event loop; longest stall ${Math.round(b.maxStallMs)} ms)`,
    );
  }
  const meanOff = off.reduce((x, y) => x + y) / off.length;
  const meanOn = on.reduce((x, y) => x + y) / on.length;
  console.log(`ingest mean: off ${Math.round(meanOff)} events/s, on ${Math.round(meanOn)} events/s: ${((1 - meanOn / meanOff) * 100).toFixed(1)} % slower (target <= 20 %)`);
}

try {
  console.log(`node ${process.version}, ${PAIRS} pairs, history ${HISTORY} events/pair, flush interval 5 s, ingest ${INGEST_SECONDS} s per run`);
  await restartBench();
  await ingestBench();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
