// No maintained, permissively licensed RFC 5424 syslog client exists on npm, so this sink is a
// small formatter (formatSyslog.ts) over node:dgram, node:net and node:tls, and the optional
// unix-dgram addon for unix datagram sockets (internal/unixDgramTransport.ts).
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import type { Alert } from './alert.js';
import { AlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';
import { formatSyslogMessage, syslogFacilityCode, syslogHeader, type SyslogFormatOptions } from './formatSyslog.js';
import { ALERT_FORMATS, checkAlertFormat, type AlertFormat } from './formats/alertFormat.js';
import { formatCefMessage } from './formats/formatCef.js';
import { renderAlertJson } from './formats/renderAlertJson.js';
import { StreamTransport, UdpTransport, type SyslogTransport } from './internal/syslogTransport.js';
import { UnixDgramTransport, UnixTransport } from './internal/unixDgramTransport.js';
import { nonEmptyString, positiveInteger } from './internal/validate.js';
import { isAlertSeverity, severityRank, type AlertSeverity } from './severity.js';

/** Transport of the {@link SyslogSink}. `unix` is a unix socket of either kind, stream or datagram. */
export type SyslogProtocol = 'udp' | 'tcp' | 'tls' | 'unix';

/** TLS settings of the {@link SyslogSink} (PEM text or buffers, as `node:tls` takes them). */
export interface SyslogTlsOptions {
  /** Trusted CA certificates; default: Node's bundled roots. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate, for receivers that require one. */
  cert?: string | Buffer;
  /** Client private key. */
  key?: string | Buffer;
  /**
   * Refuse receivers whose certificate does not verify.
   * @default true
   */
  rejectUnauthorized?: boolean;
  /** Name to verify and send as SNI; default: `host` when it is not an IP address. */
  servername?: string;
}

/** Options of the {@link SyslogSink}. */
export interface SyslogSinkOptions extends SyslogFormatOptions {
  /** @default 'udp' */
  protocol?: SyslogProtocol;
  /** Receiver host for udp, tcp and tls. @default '127.0.0.1' */
  host?: string;
  /** Receiver port. @default 514 (6514 for tls) */
  port?: number;
  /** Socket path for `unix` (a stream or a datagram socket). @default '/dev/log' */
  path?: string;
  /**
   * Framing on streams: octet counting (RFC 6587) or one message per line. A unix datagram
   * socket takes one message per datagram, unframed.
   * @default 'octet-counting' for tcp and tls, 'lf' for unix
   */
  framing?: 'octet-counting' | 'lf';
  /** TLS settings, for `tls`. */
  tls?: SyslogTlsOptions;
  /**
   * Longest wait for a stream connection, or for a congested unix datagram receiver to take
   * the next message.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Alerts below this severity are skipped (counted as skipped, not sent).
   * @default 'info'
   */
  minSeverity?: AlertSeverity;
  /** HOSTNAME field. @default os.hostname() */
  hostname?: string;
  /** Sink name. @default 'syslog' */
  name?: string;
  /**
   * Message body: `beacon` (structured data and the original's text), or after the RFC 5424
   * header and a `-` (no structured data): `ecs` or `ocsf` JSON, or an ArcSight `cef` record.
   * @default 'beacon'
   */
  format?: AlertFormat;
}

/**
 * Sends each alert as one RFC 5424 message with structured data (see
 * {@link formatSyslogMessage}) over UDP, TCP with octet counting, TLS, or a unix socket.
 * Streams reconnect on the next alert after a failure; failures reject `send`, so the
 * dispatcher counts them as failed. Over UDP a message counts as sent once it left the socket:
 * UDP has no acknowledgement.
 *
 * `unix` connects as a stream first; a datagram socket (`/dev/log` on most Linux systems) is
 * detected on the first send and then written one datagram per message. Node has no unix
 * datagram sockets of its own: that part uses the optional dependency `unix-dgram` (a native
 * addon, built at install). Without it, sends to a datagram socket fail with
 * `UNSUPPORTED_SOCKET`, naming the path.
 */
export class SyslogSink implements AlertSink {
  readonly name: string;
  readonly #transport: SyslogTransport;
  readonly #format: SyslogFormatOptions;
  readonly #minRank: number;
  readonly #bodyFormat: AlertFormat;
  #closed = false;

  constructor(options: SyslogSinkOptions = {}) {
    const { protocol = 'udp', host = '127.0.0.1', path = '/dev/log', connectTimeoutMs = 5000, minSeverity = 'info', name = 'syslog' } = options;
    const owner = `SyslogSink "${name}"`;
    if (!['udp', 'tcp', 'tls', 'unix'].includes(protocol)) {
      throw new AlertingError('INVALID_OPTIONS', `${owner}: protocol must be udp, tcp, tls or unix (got ${JSON.stringify(protocol)})`);
    }
    const port = options.port ?? (protocol === 'tls' ? 6514 : 514);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new AlertingError('INVALID_OPTIONS', `${owner}: port must be an integer 1-65535 (got ${JSON.stringify(port)})`);
    }
    if (!isAlertSeverity(minSeverity)) throw new AlertingError('INVALID_OPTIONS', `${owner}: minSeverity must be info, low, medium, high or critical (got ${JSON.stringify(minSeverity)})`);
    const framing = options.framing ?? (protocol === 'unix' ? 'lf' : 'octet-counting');
    if (framing !== 'lf' && framing !== 'octet-counting') {
      throw new AlertingError('INVALID_OPTIONS', `${owner}: framing must be "octet-counting" or "lf" (got ${JSON.stringify(framing)})`);
    }
    syslogFacilityCode(options.facility ?? 'local0');
    this.#bodyFormat = checkAlertFormat(owner, options.format ?? 'beacon', ALERT_FORMATS);
    positiveInteger(owner, 'connectTimeoutMs', connectTimeoutMs);
    this.name = name;
    this.#minRank = severityRank(minSeverity);
    this.#format = { ...options, hostname: options.hostname ?? os.hostname() };
    const stream = { framing, sink: name, connectTimeoutMs } as const;
    if (protocol === 'udp') {
      this.#transport = new UdpTransport(nonEmptyString(owner, 'host', host), port, name);
    } else if (protocol === 'tcp') {
      this.#transport = new StreamTransport({ ...stream, target: `tcp ${host}:${port}`, readyEvent: 'connect', open: () => net.connect({ host, port }) });
    } else if (protocol === 'tls') {
      const t = options.tls ?? {};
      const servername = t.servername ?? (net.isIP(host) ? undefined : host);
      this.#transport = new StreamTransport({
        ...stream,
        target: `tls ${host}:${port}`,
        readyEvent: 'secureConnect',
        open: () => tls.connect({ host, port, ca: t.ca, cert: t.cert, key: t.key, rejectUnauthorized: t.rejectUnauthorized ?? true, servername }),
      });
    } else {
      nonEmptyString(owner, 'path', path);
      this.#transport = new UnixTransport(
        new StreamTransport({ ...stream, target: `unix ${path}`, readyEvent: 'connect', open: () => net.connect({ path }) }),
        () => new UnixDgramTransport(path, name, connectTimeoutMs),
      );
    }
  }

  /** False for alerts below `minSeverity`. */
  accepts(alert: Alert): boolean {
    return severityRank(alert.severity) >= this.#minRank;
  }

  /** Formats and writes one message; rejects when it could not be written. */
  async send(alert: Alert, signal?: AbortSignal): Promise<void> {
    if (this.#closed) throw new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name });
    await this.#transport.send(this.#message(alert), signal);
  }

  #message(alert: Alert): string {
    const format = this.#bodyFormat;
    if (format === 'beacon') return formatSyslogMessage(alert, this.#format);
    const body = format === 'cef' ? formatCefMessage(alert) : renderAlertJson(alert, format, { hostname: this.#format.hostname });
    return `${syslogHeader(alert, this.#format)} - ${body}`;
  }

  /** Closes the socket. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#transport.close();
  }
}
