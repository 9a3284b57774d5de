import type { Alert } from '../alert.js';
import type { AlertSeverity } from '../severity.js';
import { VERSION } from '../internal/version.js';
import { periodSeconds } from '../internal/describe.js';
import { ATTACK, RULE } from '../internal/mitre.js';

/** The ECS version the documents follow. */
export const ECS_VERSION = '8.11.0';

/** `event.severity` of each alert severity (Elastic's detection-rule scale: 21 low, 47 medium, 73 high, 99 critical). */
const ECS_SEVERITY: Record<AlertSeverity, number> = { info: 1, low: 21, medium: 47, high: 73, critical: 99 };

/** Options of {@link toEcsDocument}. */
export interface EcsOptions {
  /** `observer.hostname`: the host that ran the detector. Omitted when unset. */
  hostname?: string;
}

/** A document in Elastic Common Schema: nested objects, ECS field names, Beacon's own fields under `beacon`. */
export type EcsDocument = Record<string, unknown>;

function isoOrUndefined(text: string | undefined): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * The alert as an ECS 8.x document for Elasticsearch / Elastic Security: `@timestamp`,
 * `event.kind: alert`, `event.category: [network]`, `event.severity` (1/21/47/73/99) and
 * `event.risk_score` (the score x 100), `source.ip`, `destination.ip`/`port`,
 * `network.transport`, `rule.*`, `threat.*` (ATT&CK TA0011 / T1071), `observer.*`, and Beacon's
 * own fields under `beacon` (`beacon.alert_id`, `beacon.severity`, and the scored pair:
 * `beacon.combined_score`, `beacon.interval_stats`, ...).
 * Fields without a value are left out, never written as null.
 * @example
 * const doc = toEcsDocument(alert, { hostname: os.hostname() });
 * await fetch(`${es}/beacon-alerts/_doc`, { method: 'POST', body: JSON.stringify(doc), headers });
 */
export function toEcsDocument(alert: Alert, options: EcsOptions = {}): EcsDocument {
  const d = alert.details;
  const transport = d.protocol.toLowerCase();
  const start = isoOrUndefined(d.first_seen);
  const end = isoOrUndefined(d.last_seen);
  const duration = Number.isFinite(d.duration_seconds) && d.duration_seconds >= 0 ? Math.round(d.duration_seconds * 1e9) : undefined;
  const period = periodSeconds(d);
  const ipType = d.dst_ip.includes(':') ? 'ipv6' : 'ipv4';
  const event: Record<string, unknown> = {
    kind: 'alert',
    category: ['network'],
    type: ['connection', 'info'],
    id: alert.alert_id,
    created: alert.timestamp,
    severity: ECS_SEVERITY[alert.severity],
    risk_score: Math.round(d.combined_score * 1000) / 10,
    module: 'beacon',
    dataset: 'beacon.alerts',
    provider: alert.source,
    action: 'beaconing-detected',
    reason: alert.title,
  };
  if (start !== undefined) event.start = start;
  if (end !== undefined) event.end = end;
  if (duration !== undefined) event.duration = duration;
  const observer: Record<string, unknown> = { vendor: 'Beacon', product: 'Beacon', type: 'ids', version: VERSION };
  if (options.hostname) observer.hostname = options.hostname;
  // Beacon's own fields: the alert's id, severity word and source, and the scored pair.
  const alertFields = { alert_id: alert.alert_id, severity: alert.severity, source: alert.source };
  const details = d;
  return {
    '@timestamp': alert.timestamp,
    ecs: { version: ECS_VERSION },
    message: alert.description,
    tags: alert.tags,
    event,
    source: { ip: d.src_ip },
    destination: { ip: d.dst_ip, port: d.dst_port },
    network: { transport, type: ipType },
    rule: { ...RULE, version: VERSION },
    threat: {
      framework: 'MITRE ATT&CK',
      tactic: { id: [ATTACK.tactic.id], name: [ATTACK.tactic.name], reference: [ATTACK.tactic.reference] },
      technique: { id: [ATTACK.technique.id], name: [ATTACK.technique.name], reference: [ATTACK.technique.reference] },
    },
    observer,
    beacon: period === null ? { ...alertFields, ...details } : { ...alertFields, ...details, period_seconds: period },
  };
}
