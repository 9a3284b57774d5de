import { readFileSync } from 'node:fs';
import { AlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';
import { FileSink } from './fileSink.js';
import type { SyslogFacility } from './formatSyslog.js';
import type { AlertFormat, JsonAlertFormat } from './formats/alertFormat.js';
import { isAlertSeverity, type AlertSeverity } from './severity.js';
import { SyslogSink, type SyslogProtocol } from './syslogSink.js';
import { WebhookSink } from './webhookSink.js';

/**
 * The original's `alerting:` config section (already validated), with our additions
 * (syslog transport, TLS files, webhook secret). Both the nested and the flat spellings
 * (`syslog_enabled`, `file_enabled`, `file_path`, `webhook_enabled`, `webhook_url`) are
 * accepted; the nested one wins when both are set.
 */
export interface AlertingConfig {
  /** Master switch. @default true */
  enabled?: boolean;
  syslog?: {
    /** @default true */
    enabled?: boolean;
    /** @default 'local0' */
    facility?: SyslogFacility;
    /** Least severity sent: a syslog level (DEBUG, INFO, WARNING, ERROR, CRITICAL) or an alert severity. @default 'INFO' */
    level?: string;
    /** @default 'udp' */
    protocol?: SyslogProtocol;
    /** @default '127.0.0.1' */
    host?: string;
    /** @default 514 (6514 for tls) */
    port?: number;
    /** Unix socket (stream or datagram, as /dev/log), for protocol `unix`. */
    path?: string;
    /** PEM file of the CA to trust, for `tls`. */
    ca_file?: string;
    /** PEM client certificate file, for `tls`. */
    cert_file?: string;
    /** PEM client key file, for `tls`. */
    key_file?: string;
    /** @default true */
    reject_unauthorized?: boolean;
    /** Message body: beacon, ecs, ocsf or cef. @default 'beacon' */
    format?: AlertFormat;
  };
  file?: {
    /** @default true */
    enabled?: boolean;
    /** @default '/var/log/beacon-detect/alerts.json' */
    path?: string;
    /** @default 100 */
    max_size_mb?: number;
    /** @default 5 */
    backup_count?: number;
    /** Each line: beacon, ecs or ocsf. @default 'beacon' */
    format?: JsonAlertFormat;
  };
  webhook?: {
    /** @default false */
    enabled?: boolean;
    url?: string;
    headers?: Record<string, string>;
    /** Per-attempt timeout in seconds. @default 10 */
    timeout?: number;
    /** @default 3 */
    retries?: number;
    /** HMAC-SHA256 signing secret. */
    secret?: string;
    /** The body: beacon, ecs or ocsf. @default 'beacon' */
    format?: JsonAlertFormat;
  };
  syslog_enabled?: boolean;
  file_enabled?: boolean;
  file_path?: string;
  webhook_enabled?: boolean;
  webhook_url?: string;
}

const LEVELS: Record<string, AlertSeverity> = { DEBUG: 'info', INFO: 'info', NOTICE: 'low', WARNING: 'low', WARN: 'low', ERROR: 'high', CRITICAL: 'critical' };

/**
 * Builds the sinks an `alerting:` section asks for, with the original's defaults (syslog and
 * file on, webhook off). Returns `[]` when `enabled` is false.
 *
 * @throws {@link AlertingError} `INVALID_OPTIONS` naming the config key at fault.
 */
export function createSinksFromConfig(config: AlertingConfig = {}): AlertSink[] {
  if (config.enabled === false) return [];
  const sinks: AlertSink[] = [];
  const { syslog = {}, file = {}, webhook = {} } = config;
  if (syslog.enabled ?? config.syslog_enabled ?? true) {
    sinks.push(
      wrap('alerting.syslog', () => new SyslogSink({
        protocol: syslog.protocol,
        host: syslog.host,
        port: syslog.port,
        path: syslog.path,
        facility: syslog.facility,
        minSeverity: level(syslog.level),
        format: syslog.format,
        tls: {
          ca: readPem('alerting.syslog.ca_file', syslog.ca_file),
          cert: readPem('alerting.syslog.cert_file', syslog.cert_file),
          key: readPem('alerting.syslog.key_file', syslog.key_file),
          rejectUnauthorized: syslog.reject_unauthorized,
        },
      })),
    );
  }
  if (file.enabled ?? config.file_enabled ?? true) {
    const mb = file.max_size_mb ?? 100;
    if (typeof mb !== 'number' || !(mb >= 0)) throw invalid(`alerting.file.max_size_mb must be a number >= 0 (got ${JSON.stringify(mb)})`);
    sinks.push(
      wrap('alerting.file', () => new FileSink({
        path: file.path ?? config.file_path ?? '/var/log/beacon-detect/alerts.json',
        maxSizeBytes: Math.round(mb * 1024 * 1024),
        backupCount: file.backup_count,
        format: file.format,
      })),
    );
  }
  if (webhook.enabled ?? config.webhook_enabled ?? false) {
    const url = webhook.url ?? config.webhook_url;
    if (!url) throw invalid('alerting.webhook.url is required when the webhook is enabled');
    const timeout = webhook.timeout ?? 10;
    if (typeof timeout !== 'number' || !(timeout > 0)) throw invalid(`alerting.webhook.timeout must be a number of seconds > 0 (got ${JSON.stringify(timeout)})`);
    sinks.push(
      wrap('alerting.webhook', () => new WebhookSink({ url, headers: webhook.headers, timeoutMs: Math.round(timeout * 1000), retries: webhook.retries, secret: webhook.secret, format: webhook.format })),
    );
  }
  return sinks;
}

function level(value: string | undefined): AlertSeverity {
  if (value === undefined) return 'info';
  const mapped = LEVELS[String(value).toUpperCase()] ?? (isAlertSeverity(value) ? value : undefined);
  if (!mapped) throw invalid(`alerting.syslog.level must be DEBUG, INFO, WARNING, ERROR, CRITICAL or an alert severity (got ${JSON.stringify(value)})`);
  return mapped;
}

function readPem(key: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AlertingError('INVALID_OPTIONS', `${key}: cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}

function wrap<T>(key: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if ((error as Error).message.startsWith(key)) throw error;
    throw new AlertingError('INVALID_OPTIONS', `${key}: ${(error as Error).message}`, { cause: error });
  }
}

function invalid(message: string): AlertingError {
  return new AlertingError('INVALID_OPTIONS', message);
}
