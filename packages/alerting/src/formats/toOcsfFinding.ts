import { protocolNumber } from '@beacon/detector';
import type { Alert } from '../alert.js';
import type { AlertSeverity } from '../severity.js';
import { periodSeconds } from '../internal/describe.js';
import { VERSION } from '../internal/version.js';
import { ATTACK, RULE } from '../internal/mitre.js';

/** The OCSF schema version the findings follow. */
export const OCSF_VERSION = '1.3.0';

const CLASS_UID = 2004; // Detection Finding
const CATEGORY_UID = 2; // Findings
const ACTIVITY_CREATE = 1;

/** OCSF `severity_id`: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY: Record<AlertSeverity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/** OCSF observable `type_id`s used here. */
const OBSERVABLE_IP = 2; // IP Address
const OBSERVABLE_PORT = 11; // Port

/** Options of {@link toOcsfFinding}. */
export interface OcsfOptions {
  /** `metadata.product.uid`-style name of the host that ran the detector; omitted when unset. */
  hostname?: string;
}

/** An OCSF event as a plain object. */
export type OcsfEvent = Record<string, unknown>;

function ms(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The alert as an OCSF 1.3 Detection Finding (`class_uid` 2004, category Findings, activity
 * Create, `type_uid` 200401): `finding_info` (uid = the alert id, title, description, first/last
 * seen, the analytic, ATT&CK TA0011/T1071), `severity_id`, `confidence_score`, `metadata`
 * (product Beacon, schema version), `evidences[0]` with `src_endpoint`, `dst_endpoint` and
 * `connection_info` (where OCSF 1.1+ puts endpoints in a finding), `observables` for both
 * addresses and the port, and Beacon's scored pair under `unmapped.beacon`. Times are epoch
 * milliseconds (`timestamp_t`).
 * @example
 * const finding = toOcsfFinding(alert);
 * lake.put(JSON.stringify(finding));
 */
export function toOcsfFinding(alert: Alert, options: OcsfOptions = {}): OcsfEvent {
  const d = alert.details;
  const time = ms(alert.timestamp) ?? Date.now();
  const first = ms(d.first_seen);
  const last = ms(d.last_seen);
  const severity = SEVERITY[alert.severity];
  const protoNum = protocolNumber(d.protocol);
  const period = periodSeconds(d);
  const src = { ip: d.src_ip };
  const dst = { ip: d.dst_ip, port: d.dst_port };
  const findingInfo: Record<string, unknown> = {
    uid: alert.alert_id,
    title: alert.title,
    desc: alert.description,
    types: ['Beaconing'],
    created_time: time,
    analytic: { uid: RULE.id, name: RULE.name, type_id: 3, type: 'Statistical', desc: RULE.description },
    attacks: [
      {
        version: ATTACK.version,
        tactic: { uid: ATTACK.tactic.id, name: ATTACK.tactic.name },
        technique: { uid: ATTACK.technique.id, name: ATTACK.technique.name },
      },
    ],
  };
  if (first !== undefined) findingInfo.first_seen_time = first;
  if (last !== undefined) findingInfo.last_seen_time = last;
  const connection: Record<string, unknown> = { protocol_name: d.protocol.toLowerCase(), direction_id: 0, direction: 'Unknown' };
  if (protoNum !== undefined) connection.protocol_num = protoNum;
  const event: OcsfEvent = {
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Detection Finding: Create',
    time,
    severity_id: severity.id,
    severity: severity.name,
    status_id: 1,
    status: 'New',
    is_alert: true,
    confidence_score: Math.round(d.combined_score * 100),
    message: alert.title,
    count: d.connection_count,
    metadata: {
      version: OCSF_VERSION,
      uid: alert.alert_id,
      product: { name: 'Beacon', vendor_name: 'Beacon', version: VERSION, ...(options.hostname ? { uid: options.hostname } : {}) },
      labels: alert.tags,
    },
    finding_info: findingInfo,
    evidences: [{ src_endpoint: src, dst_endpoint: dst, connection_info: connection }],
    observables: [
      { name: 'evidences[0].src_endpoint.ip', type_id: OBSERVABLE_IP, type: 'IP Address', value: d.src_ip },
      { name: 'evidences[0].dst_endpoint.ip', type_id: OBSERVABLE_IP, type: 'IP Address', value: d.dst_ip },
      { name: 'evidences[0].dst_endpoint.port', type_id: OBSERVABLE_PORT, type: 'Port', value: String(d.dst_port) },
    ],
    unmapped: { beacon: period === null ? { ...d, severity: alert.severity } : { ...d, severity: alert.severity, period_seconds: period } },
  };
  if (first !== undefined) event.start_time = first;
  if (last !== undefined) event.end_time = last;
  return event;
}
