import type { Command } from 'commander';
import { apiClient, baseUrl, OfflineError, read } from '../internal/client.js';
import { contextOf } from '../internal/context.js';
import { count, humanDuration } from '../internal/format.js';

const BANNER = String.raw`
    ____                                ____       __            __
   / __ )___  ____ __________  ____    / __ \___  / /____  _____/ /_
  / __  / _ \/ __ ${'`'}/ ___/ __ \/ __ \  / / / / _ \/ __/ _ \/ ___/ __/
 / /_/ /  __/ /_/ / /__/ /_/ / / / / / /_/ /  __/ /_/  __/ /__/ /_
/_____/\___/\__,_/\___/\____/_/ /_/ /_____/\___/\__/\___/\___/\__/
`;
const RULE = '═'.repeat(67);

/** The `cluster{}` part of a shard's status. */
export interface ClusterStatus {
  stream: string;
  partitions: number;
  shards: number;
  this_shard: string;
  members: { shard: string; status: string; partitions?: number[]; events_consumed?: number; lag_messages?: number; unacknowledged_messages?: number; url?: string | null }[];
}

/** The cluster lines of the status screen: one per shard with its partitions and consumer lag. */
function clusterLines(status: object): string[] {
  // A cluster shard adds these to the status; a single process has none of them.
  const s = status as { cluster?: ClusterStatus; partial?: boolean; missing_shards?: string[] };
  const k = s.cluster;
  if (!k) return [];
  const out = ['', `  Cluster:           stream ${k.stream}, ${k.partitions} partitions, ${k.shards} shards (answered by ${k.this_shard})${s.partial ? `, PARTIAL: no answer from ${(s.missing_shards ?? []).join(', ')}` : ''}`];
  for (const m of k.members) {
    if (m.status !== 'ok') out.push(`    shard ${m.shard.padEnd(7)} MISSING`);
    else out.push(`    shard ${m.shard.padEnd(7)} ok  partitions ${(m.partitions ?? []).join(',')}  events ${count(m.events_consumed)}  lag ${count(m.lag_messages)} msgs  unacked ${count(m.unacknowledged_messages)}${m.url ? `  ${m.url}` : ''}`);
  }
  return out;
}

/** Registers `beacon status`: the banner, LIVE/OFFLINE and the counters; exits 1 when offline. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('server health, uptime and counters (exit code 1 when the server is offline)')
    .option('--json', 'print the raw status JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const c = ctx.colors;
      let s;
      try {
        s = await read(ctx.client, apiClient(ctx.client).api.v1.status.$get());
      } catch (error) {
        if (!(error instanceof OfflineError)) throw error;
        if (opts.json) ctx.out.write(`${JSON.stringify({ status: 'offline', server: baseUrl(ctx.client) })}\n`);
        else ctx.out.write(`${c.cyan(BANNER)}\n${RULE}\n  SYSTEM STATUS\n${RULE}\n${c.red('✗ OFFLINE')}\n${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      if (opts.json) {
        ctx.out.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      const lines = [
        c.cyan(BANNER),
        '  Real-time Network Beacon Detection System',
        `  Server: ${baseUrl(ctx.client)}`,
        '',
        RULE,
        '  SYSTEM STATUS',
        RULE,
        c.green('✓ LIVE'),
        `  Server:            ${baseUrl(ctx.client)}`,
        `  Status:            ${s.status === 'running' || s.status === 'healthy' ? 'Running' : s.status}`,
        `  Uptime:            ${humanDuration(s.uptime_seconds)}`,
        `  Events Received:   ${count(s.events_received)}`,
        `  Connection Pairs:  ${count(s.storage.pair_count)}`,
        `  Beacons Detected:  ${count(s.analyzer.current_known_beacons)}`,
        `  Alerts Generated:  ${count(s.analyzer.total_alerts_generated)}`,
        `  Analysis Runs:     ${count(s.analyzer.total_runs)}`,
        `  Dropped (eBPF / buffer / alert queue): ${count(s.ebpf_drops_total)} / ${count(s.buffer_overflow_total)} / ${count(s.alert_queue_drops)}`,
        ...clusterLines(s),
      ];
      ctx.out.write(`${lines.join('\n')}\n`);
    });
}
