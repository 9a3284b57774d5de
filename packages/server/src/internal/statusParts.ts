import { readdirSync } from 'node:fs';
import type { AppContext } from './context.js';

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** The `alerter{}` object of status and statistics. */
export interface AlerterStatus {
  enabled: boolean;
  alerts_sent: number;
  alerts_failed: number;
  alerts_by_severity: Record<string, number>;
  queue_size: number;
  queue_capacity: number;
  queue_fill_percent: number;
  queue_drops: number;
  recent_alerts_count: number;
  channels: { syslog: boolean; file: boolean; webhook: boolean; console: boolean };
  sinks: Record<string, { sent: number; failed: number; skipped: number; pending: number }>;
}

/** The `alerter{}` object of status and statistics. */
export function alerterPart(ctx: AppContext): AlerterStatus {
  const a = ctx.config.alerting;
  const s = ctx.alerts?.stats();
  return {
    enabled: a.enabled,
    alerts_sent: s?.alerts_sent ?? 0,
    alerts_failed: s?.alerts_failed ?? 0,
    alerts_by_severity: s?.alerts_by_severity ?? Object.fromEntries(SEVERITIES.map((k) => [k, 0])),
    queue_size: s?.queue_size ?? 0,
    queue_capacity: s?.queue_capacity ?? 0,
    queue_fill_percent: s?.fill_percent ?? 0,
    queue_drops: s?.drops ?? 0,
    recent_alerts_count: s?.recent_alerts_count ?? 0,
    channels: {
      syslog: a.syslog.enabled || a.syslog_enabled === true,
      file: a.file.enabled || a.file_enabled === true,
      webhook: a.webhook.enabled || a.webhook_enabled === true,
      console: a.console,
    },
    sinks: s?.sinks ?? {},
  };
}

let lastCpu = { at: performance.now(), usage: process.cpuUsage() };

function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null; // not Linux
  }
}

/** The `system{}` object: CPU use since the previous call (or start), resident memory, open descriptors. */
export function systemPart(): { cpu_percent: number; memory_mb: number; open_fds: number | null } {
  const at = performance.now();
  const usage = process.cpuUsage();
  const elapsedUs = (at - lastCpu.at) * 1000;
  const usedUs = usage.user - lastCpu.usage.user + (usage.system - lastCpu.usage.system);
  lastCpu = { at, usage };
  return {
    cpu_percent: elapsedUs > 0 ? Math.round((usedUs / elapsedUs) * 1000) / 10 : 0,
    memory_mb: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10,
    open_fds: openFds(),
  };
}

/** The server's own telemetry counters (ours, beside the original's three). */
export interface TelemetryCounters {
  events_accepted: number;
  events_rejected: number;
  events_rejected_by_reason: Record<string, number>;
  events_dropped: number;
  batches_rejected: Record<string, number>;
  data_plane_nodes: number;
}

/** The server's own telemetry counters (ours, beside the original's three). */
export function telemetryPart(ctx: AppContext): TelemetryCounters {
  const s = ctx.state;
  return {
    events_accepted: s.eventsAccepted,
    events_rejected: s.rejectedTotal,
    events_rejected_by_reason: Object.fromEntries(s.eventsRejected),
    events_dropped: s.eventsDropped,
    batches_rejected: Object.fromEntries(s.batchesRejected),
    data_plane_nodes: s.nodes.size,
  };
}
