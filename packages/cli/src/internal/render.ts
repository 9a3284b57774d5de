import type { BeaconItem } from '@beacon/detector';
import type { ConnectionRow, LongConnectionRow } from './client.js';
import { csv, intervalText, severityColor, table, type Colors } from './format.js';

/** A connection pair as `GET /api/v1/connections` lists it. */
export type ConnectionItem = ConnectionRow;

/** The original's table: SCORE SEVERITY SOURCE IP DEST IP PORT PROTO CONNS INTERVAL. */
export function beaconsTable(items: readonly BeaconItem[], c: Colors): string {
  const named = items.some((b) => b.server_name !== undefined);
  const rows = items.map((b) => {
    const sev = b.benign_label ? `BENIGN(${b.benign_label})` : b.confidence.toUpperCase();
    const row = [
      `${(b.combined_score * 100).toFixed(1)}%`,
      b.benign_label ? c.dim(sev) : severityColor(c, sev),
      b.src_ip,
      destText(b.dst_ip, b.dst_ips),
      String(b.dst_port),
      b.protocol,
      String(b.connection_count),
      intervalText(b.explanation.detected_interval_seconds ?? b.interval_stats.median),
    ];
    if (named) row.splice(3, 0, b.server_name ?? '');
    return row;
  });
  const head = ['SCORE', 'SEVERITY', 'SOURCE IP', 'DEST IP', 'PORT', 'PROTO', 'CONNS', 'INTERVAL'];
  if (named) head.splice(3, 0, 'NAME');
  return table(head, rows);
}

/** A destination cell: the address, with `+N` when a name-keyed row covers N more addresses. */
export function destText(dstIp: string, dstIps: readonly string[] | undefined): string {
  return dstIps !== undefined && dstIps.length > 1 ? `${dstIp} +${dstIps.length - 1}` : dstIp;
}

/**
 * The original's beacons CSV header and rows; `Server_Name` and `Dest_IPs` (space-separated)
 * columns are appended when any row carries a server name.
 */
export function beaconsCsv(items: readonly BeaconItem[]): string {
  const named = items.some((b) => b.server_name !== undefined);
  const head = ['Score', 'Severity', 'Source_IP', 'Source_Port', 'Dest_IP', 'Dest_Port', 'Protocol', 'Connections', 'Interval', 'Jitter'];
  if (named) head.push('Server_Name', 'Dest_IPs');
  return csv(
    head,
    items.map((b) => [
      b.combined_score.toFixed(4),
      b.confidence.toUpperCase(),
      b.src_ip,
      '',
      b.dst_ip,
      b.dst_port,
      b.protocol,
      b.connection_count,
      (b.explanation.detected_interval_seconds ?? b.interval_stats.median).toFixed(2),
      b.interval_stats.jitter.toFixed(2),
      ...(named ? [b.server_name ?? '', (b.dst_ips ?? []).join(' ')] : []),
    ]),
  );
}

/** Table of connection pairs. */
export function connectionsTable(items: readonly ConnectionItem[]): string {
  return table(
    ['SOURCE IP', 'DEST IP', 'PORT', 'PROTO', 'CONNS', 'DURATION', 'FIRST SEEN', 'LAST SEEN'],
    items.map((p) => [p.src_ip, p.dst_ip, String(p.dst_port), p.protocol, String(p.connection_count), `${p.duration_seconds.toFixed(0)}s`, p.first_seen, p.last_seen]),
  );
}

/** The original's connections CSV. */
export function connectionsCsv(items: readonly ConnectionItem[]): string {
  return csv(
    ['Source_IP', 'Dest_IP', 'Dest_Port', 'Protocol', 'Connections', 'Duration', 'First_Seen', 'Last_Seen'],
    items.map((p) => [p.src_ip, p.dst_ip, p.dst_port, p.protocol, p.connection_count, p.duration_seconds.toFixed(1), p.first_seen, p.last_seen]),
  );
}

/** Table of long connections, longest first. */
export function longConnsTable(items: readonly LongConnectionRow[]): string {
  return table(
    ['DURATION', 'SOURCE IP', 'DEST IP', 'PORT', 'PROTO', 'CONNS', 'FIRST SEEN', 'LAST SEEN'],
    items.map((p) => [`${(p.duration_seconds / 3600).toFixed(2)}h${p.open ? ' (open)' : ''}`, p.src_ip, p.dst_ip, String(p.dst_port), p.protocol, String(p.connection_count), p.first_seen, p.last_seen]),
  );
}

/** The original's long-conns CSV. */
export function longConnsCsv(items: readonly LongConnectionRow[]): string {
  return csv(
    ['Duration', 'Source_IP', 'Dest_IP', 'Dest_Port', 'Protocol', 'Connections', 'First_Seen', 'Last_Seen'],
    items.map((p) => [p.duration_seconds.toFixed(1), p.src_ip, p.dst_ip, p.dst_port, p.protocol, p.connection_count, p.first_seen, p.last_seen]),
  );
}
