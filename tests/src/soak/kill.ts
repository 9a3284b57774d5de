import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// Soak 2: simulated traffic at 1,000x into a real `beacon server` with persistence, SIGKILLed
// every few minutes and restarted on the same database. After every restart: the restored
// counters must cover every event acknowledged before the last flush (nothing lost beyond the
// flush interval), and never go down (counters continuous).
// Usage: pnpm soak:kill [minutes] [seconds between kills]
const MINUTES = Number(process.argv[2] ?? 60);
const KILL_EVERY_S = Number(process.argv[3] ?? 180);
const SPEED = 1000;
const FLUSH_S = 1;
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
/** Events the server acknowledged (200), with when. */
let acked = 0;
const ackLog: Array<{ at: number; total: number }> = [];
const cycles: Array<{ at_minutes: number; acked_before_kill: number; acked_at_last_flush: number; restored: number; lost_beyond_flush: number; pairs_before: number; pairs_after: number }> = [];
let lastKill = Date.now();
let lastReceived = 0;
let failures = 0;
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
        ackLog.push({ at: Date.now(), total: acked });
      } else failures++;
    } catch {
      failures++;
    }
  }
  if (Date.now() - lastKill >= KILL_EVERY_S * 1000) {
    const before = await status(server.url);
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    // what was acknowledged one flush interval (plus a second of margin) before the kill must survive
    const safe = [...ackLog].reverse().find((a) => a.at <= killedAt - (FLUSH_S + 1) * 1000)?.total ?? 0;
    server = await start();
    const after = await status(server.url);
    const cycle = {
      at_minutes: Number(((killedAt - realStart) / 60_000).toFixed(1)),
      acked_before_kill: acked,
      acked_at_last_flush: safe,
      restored: after.events_received,
      lost_beyond_flush: Math.max(0, safe - after.events_received),
      pairs_before: before.storage.pair_count,
      pairs_after: after.storage.pair_count,
    };
    if (after.events_received < lastReceived) throw new Error(`counter went down: ${after.events_received} < ${lastReceived}`);
    lastReceived = after.events_received;
    cycles.push(cycle);
    process.stderr.write(`${JSON.stringify(cycle)}\n`);
    ackLog.length = 0;
    lastKill = Date.now();
  }
  await new Promise((r) => setTimeout(r, 100));
}
const final = await status(server.url);
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
const lost = cycles.reduce((n, c) => n + c.lost_beyond_flush, 0);
process.stdout.write(
  `${JSON.stringify({ minutes: MINUTES, speed: SPEED, simulated_hours: Number(((simSent - simStart) / 3600).toFixed(1)), kills: cycles.length, events_acked: acked, events_received_at_end: final.events_received, lost_beyond_flush: lost, failed_requests: failures, cycles }, null, 2)}\n`,
);
process.exitCode = lost > 0 ? 1 : 0;
