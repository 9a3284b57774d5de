import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Soak 2: simulated traffic at 1,000x into a real `beacon server` with persistence, SIGKILLed
// every few minutes and restarted on the same database. After every restart: the restored
// counters must cover every event acknowledged more than the flush interval (plus a margin)
// before the kill (nothing lost beyond the flush interval), and never go down (counters
// continuous). Each cycle is measured from what the server restored at its start, so events
// lost (within the allowance) at one kill are not counted again at the next.
// Usage: pnpm soak:kill [minutes] [seconds between kills]
const MINUTES = Number(process.argv[2] ?? 60);
const KILL_EVERY_S = Number(process.argv[3] ?? 180);
const SPEED = 1000;
const FLUSH_S = 1;
/** Allowed on top of the flush interval: the flush transaction itself, and the acknowledgement's trip back. */
const MARGIN_S = 1;
const PAIRS = 200;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'beacon-harden-killsoak-'));
const config = join(dir, 'config.yaml');
writeFileSync(
  config,
  [
    'control_plane: { listen_address: 127.0.0.1, listen_port: 0, data_retention: 31536000 }',
    'detection: { analysis_interval: 5 }',
    `persistence: { db_path: ${JSON.stringify(join(dir, 'soak.db'))}, flush_interval: ${FLUSH_S} }`,
    'logging: { level: error }',
  ].join('\n'),
);

interface Server {
  child: ChildProcess;
  url: string;
}
function start(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@beacon/source', 'packages/cli/src/bin.ts', 'server', '-c', config], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}
async function status(url: string): Promise<{ events_received: number; storage: { pair_count: number } }> {
  return (await fetch(`${url}/api/v1/status`)).json() as Promise<{ events_received: number; storage: { pair_count: number } }>;
}

// Simulated time runs 1,000x real time and ends at "now" (the server refuses the future): it
// starts MINUTES x 1,000 minutes in the past. Each pair beacons every 60-600 simulated seconds.
const realStart = Date.now();
const simStart = realStart / 1000 - MINUTES * 60 * SPEED - 60;
const periods = Array.from({ length: PAIRS }, (_, i) => 60 + ((i * 37) % 540));
const nextAt = periods.map((p, i) => simStart + ((i * 13) % p));
let simSent = simStart;
function due(simNow: number): object[] {
  const events: object[] = [];
  for (let i = 0; i < PAIRS; i++)
    while (nextAt[i]! <= simNow) {
      events.push({
        timestamp_ns: String(BigInt(Math.round(nextAt[i]! * 1000)) * 1_000_000n),
        src_ip: `10.9.${i >> 8}.${i & 255}`,
        dst_ip: `203.0.113.${i % 250}`,
        src_port: 40000 + (events.length % 20000),
        dst_port: 443,
        packet_size: 200 + (i % 50),
        protocol: 6,
        tcp_flags: 2,
        direction: 1,
      });
      nextAt[i]! += periods[i]! * (1 + (((i * 7919 + events.length) % 11) - 5) / 100);
    }
  return events;
}

let server = await start();
/** Events the server acknowledged (200), in all. */
let acked = 0;
/** The server's events_received when it started (what it restored), and acks since, with when. */
let baseline = (await status(server.url)).events_received;
let sinceStart = 0;
const ackLog: Array<{ at: number; total: number }> = [];
interface Cycle {
  at_minutes: number;
  /** Events the killed server had acknowledged (its restored count plus the acks since). */
  acked_before_kill: number;
  restored: number;
  /** Acknowledged events the restarted server does not count (lost with the kill). */
  lost: number;
  /** Age at the kill of the oldest lost acknowledgement, ms (0 when nothing was lost). */
  lost_window_ms: number;
  /** Lost events acknowledged more than the allowance (flush interval + margin) before the kill. */
  lost_beyond_flush: number;
  pairs_before: number;
  pairs_after: number;
}
const cycles: Cycle[] = [];
const ALLOWANCE_MS = (FLUSH_S + MARGIN_S) * 1000;
let lastKill = Date.now();
let failures = 0;
/** Broken continuity: a count that went down, or a server count that differs from the acknowledgements. */
const problems: string[] = [];
while (Date.now() - realStart < MINUTES * 60_000) {
  const simNow = simStart + ((Date.now() - realStart) / 1000) * SPEED;
  const events = due(Math.min(simNow, Date.now() / 1000));
  simSent = simNow;
  if (events.length > 0) {
    try {
      const res = await fetch(`${server.url}/api/v1/telemetry`, {
        method: 'POST',
        body: new Uint8Array(gzipSync(JSON.stringify({ node_id: 'killsoak', events }))),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      const body = (await res.json()) as { events_received?: number; events_rejected?: number };
      if (res.status === 200) {
        acked += body.events_received ?? 0;
        sinceStart += body.events_received ?? 0;
        ackLog.push({ at: Date.now(), total: sinceStart });
      } else failures++;
    } catch {
      failures++;
    }
  }
  if (Date.now() - lastKill >= KILL_EVERY_S * 1000) {
    const before = await status(server.url);
    if (before.events_received !== baseline + sinceStart) problems.push(`before the kill at ${Date.now() - realStart} ms the server counted ${before.events_received} events, ${baseline + sinceStart} were acknowledged`);
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    server = await start();
    const after = await status(server.url);
    const restored = after.events_received;
    // Counters continuous: the restarted server never counts less than the previous one restored.
    if (restored < baseline) problems.push(`counter went down: ${restored} < ${baseline}`);
    const ackedBeforeKill = baseline + sinceStart;
    // The acknowledgements the restored count does not cover: every one after the last it covers.
    const firstLost = ackLog.find((a) => baseline + a.total > restored);
    const lostBeyond = ackLog.filter((a) => a.at < killedAt - ALLOWANCE_MS).at(-1);
    const cycle: Cycle = {
      at_minutes: Number(((killedAt - realStart) / 60_000).toFixed(1)),
      acked_before_kill: ackedBeforeKill,
      restored,
      lost: Math.max(0, ackedBeforeKill - restored),
      lost_window_ms: firstLost ? killedAt - firstLost.at : 0,
      lost_beyond_flush: lostBeyond ? Math.max(0, baseline + lostBeyond.total - restored) : 0,
      pairs_before: before.storage.pair_count,
      pairs_after: after.storage.pair_count,
    };
    cycles.push(cycle);
    process.stderr.write(`${JSON.stringify(cycle)}\n`);
    // Lost events are not counted again: the next cycle is measured from what this server restored.
    baseline = restored;
    sinceStart = 0;
    ackLog.length = 0;
    lastKill = Date.now();
  }
  await new Promise((r) => setTimeout(r, 100));
}
const final = await status(server.url);
const countedAtEnd = baseline + sinceStart;
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
const lostBeyond = cycles.reduce((n, c) => n + c.lost_beyond_flush, 0);
const lostInAll = cycles.reduce((n, c) => n + c.lost, 0);
const windows = cycles.map((c) => c.lost_window_ms);
process.stdout.write(
  `${JSON.stringify(
    {
      minutes: MINUTES,
      speed: SPEED,
      flush_interval_s: FLUSH_S,
      allowance_ms: ALLOWANCE_MS,
      simulated_hours: Number(((simSent - simStart) / 3600).toFixed(1)),
      kills: cycles.length,
      events_acked: acked,
      events_lost_within_allowance: lostInAll - lostBeyond,
      lost_beyond_flush: lostBeyond,
      max_lost_window_ms: Math.max(0, ...windows),
      events_received_at_end: final.events_received,
      counter_continuous_at_end: final.events_received === countedAtEnd,
      problems,
      failed_requests: failures,
      cycles,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = lostBeyond > 0 || problems.length > 0 || final.events_received !== countedAtEnd ? 1 : 0;
