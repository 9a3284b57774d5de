/**
 * Telemetry ingestion benchmark.
 *  1. Over loopback HTTP: the server runs in a child process (one event loop, one core);
 *     this process posts pre-built gzip JSON batches of 5,000 events, 4 requests in flight.
 *  2. In process: body parsing + validation (decodeBatch), then + detector ingest, no HTTP.
 * Usage: pnpm --filter @beacon/server bench
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createDetector } from '@beacon/detector';
import { createApp, listen } from '../src/index.js';
import { decodeBatch } from '../src/telemetry/decodeBatch.js';
import { ingestTelemetry } from '../src/internal/ingestTelemetry.js';
import { ServerState } from '../src/internal/serverState.js';

const BATCH = 5000;
const BATCHES = 40;
const CONCURRENCY = 4;
const ROUNDS = 4;

function makeBatches(): string[] {
  const out: string[] = [];
  let n = 0;
  for (let b = 0; b < BATCHES; b++) {
    const events = [];
    for (let i = 0; i < BATCH; i++, n++) {
      const t = 1_700_000_000 + Math.floor(n / 2000) * 60 + (n % 2000) * 0.01;
      events.push({
        timestamp_ns: Math.round(t * 1e9),
        timestamp_utc: new Date(t * 1000).toISOString(),
        src_ip: `10.0.${(n >> 8) & 7}.${n & 255}`,
        dst_ip: '203.0.113.9',
        src_port: 40000 + (n % 20000),
        dst_port: 443,
        packet_size: 310,
        protocol: 6,
        protocol_name: 'TCP',
        tcp_flags: 2,
        tcp_flags_list: ['SYN'],
        direction: 1,
        direction_name: 'EGRESS',
        node_id: 'dp-bench',
        connection_key: `10.0.${(n >> 8) & 7}.${n & 255}:${40000 + (n % 20000)}->203.0.113.9:443/TCP`,
      });
    }
    out.push(JSON.stringify({ batch_id: `b${b}`, node_id: 'dp-bench', created_at: new Date().toISOString(), event_count: BATCH, data_plane_stats: { events_dropped_ebpf: 0, events_dropped_overflow: 0 }, events }));
  }
  return out;
}

async function serve(): Promise<void> {
  const running = await listen(createApp({ detector: createDetector({ now: () => 1_700_100_000 }), maxBodyBytes: 64 * 1024 * 1024 }), { port: 0 });
  process.send?.({ url: running.url });
}

async function overHttp(bodies: Buffer[]): Promise<number> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv });
  const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));
  const send = async (body: Buffer): Promise<void> => {
    const res = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  await send(bodies[0]!); // warm-up
  const jobs = Array.from({ length: ROUNDS }, () => bodies).flat();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) await send(jobs[next++]!);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  child.kill();
  return (jobs.length * BATCH) / seconds;
}

async function inProcess(texts: string[]): Promise<{ parse: number; total: number }> {
  const detector = createDetector({ now: () => 1_700_100_000 });
  const state = new ServerState(0);
  const buffers = texts.map((t) => Buffer.from(t));
  let parseMs = 0;
  const start = performance.now();
  for (const buf of buffers) {
    const t0 = performance.now();
    const decoded = await decodeBatch(buf, 5000);
    parseMs += performance.now() - t0;
    await ingestTelemetry(decoded, detector, state, 1_700_100_000_000, 300);
  }
  const seconds = (performance.now() - start) / 1000;
  return { parse: (buffers.length * BATCH) / (parseMs / 1000), total: (buffers.length * BATCH) / seconds };
}

if (process.argv.includes('--serve')) await serve();
else {
  const texts = makeBatches();
  const bodies = texts.map((t) => gzipSync(t));
  const raw = texts.reduce((s, t) => s + t.length, 0) / texts.length;
  const gz = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;
  console.log(`batches: ${BATCHES} x ${BATCH} events, ${(raw / 1024).toFixed(0)} KiB JSON -> ${(gz / 1024).toFixed(0)} KiB gzip each`);
  const rate = await overHttp(bodies);
  console.log(`HTTP loopback, server in one process, ${CONCURRENCY} requests in flight: ${Math.round(rate).toLocaleString('en-US')} events/s`);
  const local = await inProcess(texts);
  console.log(`in process, parse + validate:            ${Math.round(local.parse).toLocaleString('en-US')} events/s`);
  console.log(`in process, parse + validate + ingest:  ${Math.round(local.total).toLocaleString('en-US')} events/s`);
}
