import type { Alert } from './alert.js';
import { AlertingError } from './alertingError.js';
import { fixed, formatSignals, periodSeconds } from './internal/describe.js';
import type { AlertSeverity } from './severity.js';

/** Syslog facility names (RFC 5424 table 1), as the original's `facility` key spells them. */
export type SyslogFacility =
  | 'kern' | 'user' | 'mail' | 'daemon' | 'auth' | 'syslog' | 'lpr' | 'news' | 'uucp' | 'cron'
  | 'authpriv' | 'ftp' | 'local0' | 'local1' | 'local2' | 'local3' | 'local4' | 'local5'
  | 'local6' | 'local7';

const FACILITIES: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21,
  local6: 22, local7: 23,
};

const SEVERITY_CODES: Record<AlertSeverity, { code: number; label: string }> = {
  info: { code: 6, label: 'INFO' },
  low: { code: 4, label: 'WARNING' },
  medium: { code: 4, label: 'WARNING' },
  high: { code: 3, label: 'ERROR' },
  critical: { code: 2, label: 'CRITICAL' },
};

/** Numeric facility code of a name (or a number 0-23); throws `INVALID_OPTIONS` otherwise. */
export function syslogFacilityCode(facility: SyslogFacility | number): number {
  const code = typeof facility === 'number' ? facility : FACILITIES[String(facility).toLowerCase()];
  if (code === undefined || !Number.isInteger(code) || code < 0 || code > 23) {
    throw new AlertingError(
      'INVALID_OPTIONS',
      `syslog: facility must be one of ${Object.keys(FACILITIES).join(', ')} or 0-23 (got ${JSON.stringify(facility)})`,
    );
  }
  return code;
}

/** Syslog severity of an alert: info 6 (INFO), low/medium 4 (WARNING), high 3 (ERROR), critical 2 (CRITICAL). */
export function syslogSeverity(severity: AlertSeverity): { code: number; label: string } {
  return SEVERITY_CODES[severity] ?? { code: 4, label: 'WARNING' };
}

/** Header fields of an RFC 5424 message. */
export interface SyslogFormatOptions {
  /** @default 'local0' */
  facility?: SyslogFacility | number;
  /** HOSTNAME field. @default '-' */
  hostname?: string;
  /** APP-NAME field. @default 'beacon-detect' */
  appName?: string;
  /** PROCID field. @default process.pid */
  procId?: string | number;
  /** MSGID field. @default 'BEACON' */
  msgId?: string;
  /**
   * SD-ID of the structured data element. `32473` is the enterprise number IANA reserves for
   * documentation (RFC 5612); use your organisation's own number if you have one.
   * @default 'beacon@32473'
   */
  sdId?: string;
}

/**
 * The original's message text: `[SEV] title | source | id | description | Signals: cv=0.99(w=0.35),...`.
 */
export function formatAlertText(alert: Alert): string {
  const signals = alert.details ? formatSignals(alert.details) : '';
  return (
    `[${syslogSeverity(alert.severity).label}] ${alert.title} | ${alert.source} | ${alert.alert_id} | ` +
    `${alert.description}${signals ? ` | Signals: ${signals}` : ''}`
  );
}

/**
 * One RFC 5424 message for an alert:
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [beacon@32473 pair="..." score="..." ...] MSG`.
 * TIMESTAMP is the alert's own timestamp; MSG is {@link formatAlertText} (sent without a BOM,
 * which RFC 5424 allows). No transport framing is added.
 */
export function formatSyslogMessage(alert: Alert, options: SyslogFormatOptions = {}): string {
  const { sdId = 'beacon@32473' } = options;
  const d = alert.details;
  const period = d ? periodSeconds(d) : null;
  const params: Array<[string, string | number | undefined]> = [
    ['alert_id', alert.alert_id],
    ['pair', d?.pair_key],
    ['src_ip', d?.src_ip],
    ['dst_ip', d?.dst_ip],
    ['dst_port', d?.dst_port],
    ['protocol', d?.protocol],
    ['score', d ? fixed(d.combined_score, 3) : undefined],
    ['severity', alert.severity],
    ['period', period === null ? undefined : fixed(period, 1)],
    ['count', d?.connection_count],
    ['first_seen', d?.first_seen],
    ['last_seen', d?.last_seen],
  ];
  const sd = `[${sdName(sdId)}${params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== null)
    .map(([k, v]) => ` ${k}="${escapeSdValue(String(v))}"`)
    .join('')}]`;
  return `${syslogHeader(alert, options)} ${sd} ${formatAlertText(alert)}`;
}

/**
 * The RFC 5424 header of an alert's message, `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID`,
 * shared by every syslog format (the ECS, OCSF and CEF formats follow it with `-` and their body).
 */
export function syslogHeader(alert: Alert, options: SyslogFormatOptions = {}): string {
  const { facility = 'local0', hostname = '-', appName = 'beacon-detect', procId = process.pid, msgId = 'BEACON' } = options;
  const pri = syslogFacilityCode(facility) * 8 + syslogSeverity(alert.severity).code;
  return [
    `<${pri}>1`,
    headerField(alert.timestamp, 128),
    headerField(hostname, 255),
    headerField(appName, 48),
    headerField(String(procId), 128),
    headerField(msgId, 32),
  ].join(' ');
}

/** Escapes `"`, `\` and `]` in a PARAM-VALUE (RFC 5424 section 6.3.3). */
export function escapeSdValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** Header fields are printable US-ASCII without spaces; `-` (NILVALUE) when empty. */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** SD-NAME: printable US-ASCII except `=`, space, `]`, `"`; at most 32 characters. */
function sdName(value: string): string {
  const clean = value.replace(/[^\x21-\x7e]|[= \]"]/g, '_').slice(0, 32);
  return clean === '' ? 'beacon@32473' : clean;
}
