import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AlertingError, type Alert, type AlertSeverity, type AlertSink } from '@beacon/alerting';

/** What the digest knows about one destination. */
export interface DestinationDigest {
  destination: string;
  alerts: number;
  sources: Set<string>;
  maxScore: number;
  worst: AlertSeverity;
  lastSeen: string;
}

const RANK: Record<AlertSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * A custom sink: appends every alert to a CSV file and keeps a per-destination digest
 * (how many alerts, from how many sources, the worst severity), printed on close.
 * It follows the AlertSink contract: `send` rejects when the alert was not written, so the
 * dispatcher counts it as failed, never as sent.
 */
export class CsvDigestSink implements AlertSink {
  readonly name = 'csv-digest';
  readonly digest: Map<string, DestinationDigest> = new Map();
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(private readonly file: string) {}

  async send(alert: Alert): Promise<void> {
    if (this.#closed) throw new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name });
    this.#ready ??= mkdir(path.dirname(this.file), { recursive: true }).then(() =>
      writeFile(this.file, 'Timestamp,Severity,Score,Source_IP,Dest_IP,Dest_Port,Protocol,Connections,Alert_ID\n'),
    );
    await this.#ready;
    const d = alert.details;
    const row = [alert.timestamp, alert.severity, d.combined_score.toFixed(3), d.src_ip, d.dst_ip, d.dst_port, d.protocol, d.connection_count, alert.alert_id];
    await appendFile(this.file, `${row.map(csvField).join(',')}\n`);
    this.#remember(alert);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#ready;
  }

  /** One line per destination, worst first. */
  summary(): string[] {
    return [...this.digest.values()]
      .sort((a, b) => RANK[b.worst] - RANK[a.worst] || b.maxScore - a.maxScore)
      .map((g) => `${g.destination}  ${g.worst.toUpperCase().padEnd(8)} alerts=${g.alerts} sources=${g.sources.size} max_score=${g.maxScore.toFixed(3)} last=${g.lastSeen}`);
  }

  #remember(alert: Alert): void {
    const d = alert.details;
    const destination = `${d.dst_ip}:${d.dst_port}/${d.protocol}`;
    const group = this.digest.get(destination) ?? { destination, alerts: 0, sources: new Set<string>(), maxScore: 0, worst: 'info' as AlertSeverity, lastSeen: '' };
    group.alerts += 1;
    group.sources.add(d.src_ip);
    group.maxScore = Math.max(group.maxScore, d.combined_score);
    if (RANK[alert.severity] > RANK[group.worst]) group.worst = alert.severity;
    if (d.last_seen > group.lastSeen) group.lastSeen = d.last_seen;
    this.digest.set(destination, group);
  }
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
