import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { defaultConfig } from '@beacon/config';
import { createControlPlane } from '@beacon/server';
import { lineChart } from './chart.js';

// Soak 1: N distinct pairs (default 10,000,000) through HTTP telemetry as fast as the server
// takes them, heap and RSS sampled; the pair cap evicts, so memory must stay flat.
// Usage: pnpm soak:pairs [pairs] [svg path] [seconds budget]: stops early, and says so, when the
// budget runs out (the chart is rewritten at every sample, so a stopped run still has one).
const TOTAL = Number(process.argv[2] ?? 10_000_000);
const SVG = process.argv[3] ?? 'docs/reliability-pairs.svg';
const BUDGET_S = Number(process.argv[4] ?? Infinity);
const BATCH = 5000;
const SENDERS = 2;

const config = defaultConfig();
config.persistence.enabled = false;
config.persistence.db_path = null;
config.control_plane.max_body_bytes = 16 * 1024 * 1024;
const cp = createControlPlane(config, { sinks: [] });
const server = await cp.listen({ hostname: '127.0.0.1', port: 0 });
cp.start();

const nowNs = BigInt(Date.now() - 60_000) * 1_000_000n;
/** Batch b: BATCH events, each a pair never sent before (source and destination from the event number). */
function batch(b: number): Buffer {
  const events = new Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    const n = b * BATCH + i;
    events[i] = {
      timestamp_ns: String(nowNs + BigInt(i) * 1000n),
      src_ip: `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`,
      dst_ip: `198.${18 + ((n >>> 24) & 1)}.${(n >>> 12) & 255}.${(n >>> 4) & 255}`,
      src_port: 40000 + (n % 20000),
      dst_port: 443 + (n % 7),
      packet_size: 300,
      protocol: 6,
      tcp_flags: 2,
      direction: 1,
    };
  }
  return gzipSync(JSON.stringify({ batch_id: `soak-${b}`, node_id: 'soak', events }), { level: 1 });
}

const samples: Array<{ pairs: number; heapMb: number; rssMb: number; seconds: number }> = [];
const sample = (pairs: number, t0: number): void => {
  const m = process.memoryUsage();
  samples.push({ pairs, heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576, seconds: (performance.now() - t0) / 1000 });
};
const batches = Math.ceil(TOTAL / BATCH);
let next = 0;
let sent = 0;
let failed = 0;
let retries = 0;
const t0 = performance.now();
sample(0, t0);
let lastSample = 0;
await Promise.all(
  Array.from({ length: SENDERS }, async () => {
    for (let b = next++; b < batches && (performance.now() - t0) / 1000 < BUDGET_S; b = next++) {
      const payload = new Uint8Array(batch(b));
      let res: Response | undefined;
      // A keep-alive connection the server closed as it was reused resets: retry, and count it.
      for (let attempt = 0; res === undefined; attempt++) {
        try {
          res = await fetch(`${server.url}/api/v1/telemetry`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
        } catch (error) {
          retries++;
          if (attempt >= 5) throw error;
        }
      }
      const body = (await res.json()) as { events_accepted?: number };
      if (res.status !== 200) failed++;
      sent += body.events_accepted ?? 0;
      if (sent - lastSample >= TOTAL / 100) {
        lastSample = sent;
        sample(sent, t0);
        chart();
        process.stderr.write(`\n${sent} pairs, heap ${samples.at(-1)!.heapMb.toFixed(0)} MB, rss ${samples.at(-1)!.rssMb.toFixed(0)} MB   `);
      }
    }
  }),
);
sample(sent, t0);
const seconds = (performance.now() - t0) / 1000;
const stats = cp.detector.stats();
await cp.close();
await server.close();
const tenth = samples.filter((s) => s.pairs >= TOTAL / 10);
const heap = tenth.map((s) => s.heapMb);
const rss = tenth.map((s) => s.rssMb);
const summary = {
  pairs_planned: TOTAL,
  pairs_sent: sent,
  failed_requests: failed,
  retried_requests: retries,
  seconds: Number(seconds.toFixed(1)),
  pairs_per_second: Math.round(sent / seconds),
  pairs_tracked_at_end: stats.storage.pair_count,
  pair_evictions: stats.evictions,
  heap_mb_after_first_tenth: { min: Math.round(Math.min(...heap)), max: Math.round(Math.max(...heap)) },
  rss_mb_after_first_tenth: { min: Math.round(Math.min(...rss)), max: Math.round(Math.max(...rss)) },
};
/** Rewrites the chart from the samples so far. */
function chart(): void {
  writeFileSync(
  SVG,
  lineChart(
    `${(sent / 1e6).toFixed(1)}M distinct pairs through HTTP telemetry (max_pairs ${cp.detector.config.maxPairs})`,
    'pairs sent',
    'MB',
    samples.map((s) => s.pairs),
    [
      { label: 'RSS', colour: '#d62728', values: samples.map((s) => s.rssMb) },
      { label: 'heap used', colour: '#1f77b4', values: samples.map((s) => s.heapMb) },
    ],
  ),
);
}
chart();
process.stderr.write('\n');
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = failed > 0 ? 1 : 0;
