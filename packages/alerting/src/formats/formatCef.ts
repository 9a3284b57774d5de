import type { Alert } from '../alert.js';
import type { AlertSeverity } from '../severity.js';
import { fixed, periodSeconds } from '../internal/describe.js';
import { VERSION } from '../internal/version.js';
import { RULE } from '../internal/mitre.js';

/** CEF severity (0-10) of each alert severity. */
const CEF_SEVERITY: Record<AlertSeverity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/**
 * Escapes a CEF header field: `\` as `\\` and `|` as `\|` (ArcSight CEF spec, "Character
 * Encoding"); line breaks, which a header may not contain, become spaces.
 */
export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

/**
 * Escapes a CEF extension value: `\` as `\\`, `=` as `\=`, line breaks as `\n` / `\r` (the
 * only multi-line encoding the spec allows). Pipes need no escaping in the extension.
 */
export function escapeCefExtension(value: string): string {
  return value.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r\n|\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Extension keys must be alphanumeric (the spec's key rule); anything else is dropped. */
const KEY = /^[A-Za-z0-9_]+$/;

/**
 * One alert as an ArcSight CEF:0 record,
 * `CEF:0|Beacon|Beacon|<version>|beacon-periodicity|Beaconing Detected|<0-10>|ext`, with the
 * standard extension keys `rt` and `start`/`end` (epoch ms), `src`/`dst` (IPv4) or `c6a2`/`c6a3`
 * (IPv6, labelled), `dpt`, `proto`, `cnt`, `msg`, `externalId`, `cat`, and labelled custom
 * fields for the pair key (`cs1`), the tags (`cs2`), the score (`cfp1`) and the period in
 * seconds (`cfp2`). Header fields and extension values are escaped per the spec.
 * @example
 * socket.send(formatCefMessage(alert)); // or inside a syslog message (SyslogSink format 'cef')
 */
export function formatCefMessage(alert: Alert): string {
  const d = alert.details;
  const header = ['CEF:0', 'Beacon', 'Beacon', VERSION, RULE.id, RULE.name].map(escapeCefHeader).join('|');
  const v6 = (ip: string): boolean => ip.includes(':');
  const ext: Array<[string, string | number | undefined]> = [
    ['rt', Date.parse(alert.timestamp) || undefined],
    ['externalId', alert.alert_id],
    ['cat', RULE.category],
    ['msg', alert.description],
    [v6(d.src_ip) ? 'c6a2' : 'src', d.src_ip],
    [v6(d.src_ip) ? 'c6a2Label' : '', v6(d.src_ip) ? 'Source IPv6 Address' : undefined],
    [v6(d.dst_ip) ? 'c6a3' : 'dst', d.dst_ip],
    [v6(d.dst_ip) ? 'c6a3Label' : '', v6(d.dst_ip) ? 'Destination IPv6 Address' : undefined],
    ['dpt', d.dst_port],
    ['proto', d.protocol],
    ['cnt', d.connection_count],
    ['start', Date.parse(d.first_seen) || undefined],
    ['end', Date.parse(d.last_seen) || undefined],
    ['cs1Label', 'pairKey'],
    ['cs1', d.pair_key],
    ['cs2Label', 'tags'],
    ['cs2', alert.tags.join(',')],
    ['cfp1Label', 'score'],
    ['cfp1', fixed(d.combined_score, 3)],
  ];
  const period = periodSeconds(d);
  if (period !== null) ext.push(['cfp2Label', 'periodSeconds'], ['cfp2', fixed(period, 1)]);
  const extension = ext
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '' && KEY.test(e[0]))
    .map(([k, v]) => `${k}=${escapeCefExtension(String(v))}`)
    .join(' ');
  return `${header}|${CEF_SEVERITY[alert.severity]}|${extension}`;
}
