import dgram from 'node:dgram';
import net from 'node:net';
import { AlertingError } from '../alertingError.js';

/** Carries formatted syslog messages. */
export interface SyslogTransport {
  send(message: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** UDP: one datagram per message (RFC 5426). No delivery confirmation exists for UDP. */
export class UdpTransport implements SyslogTransport {
  #socket: dgram.Socket | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly sink: string,
  ) {}

  send(message: string): Promise<void> {
    this.#socket ??= dgram.createSocket(net.isIPv6(this.host) ? 'udp6' : 'udp4').on('error', () => {
      // Errors of a send are reported through its callback; this only keeps the socket from throwing.
    });
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      socket.send(Buffer.from(message, 'utf8'), this.port, this.host, (error) => {
        if (!error) return resolve();
        reject(new AlertingError('CONNECTION_FAILED', `sink "${this.sink}": UDP send to ${this.host}:${this.port} failed: ${error.message}`, { cause: error, sink: this.sink }));
      });
    });
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** How messages are delimited on a stream. */
export type StreamFraming = 'octet-counting' | 'lf';

/** Options of {@link StreamTransport}. */
export interface StreamTransportOptions {
  /** Opens a new socket; it must start connecting. */
  open: () => net.Socket;
  /** Event that says the socket is ready: `connect` (tcp, unix) or `secureConnect` (tls). */
  readyEvent: 'connect' | 'secureConnect';
  framing: StreamFraming;
  /** For messages: `tcp 127.0.0.1:514`, `unix /dev/log`. */
  target: string;
  sink: string;
  connectTimeoutMs: number;
}

/**
 * TCP, TLS or unix stream socket. Connects on first use and again after any failure, so a
 * restarted receiver is picked up by the next message; a failed write rejects (it is never
 * retried here, so nothing is sent twice).
 */
export class StreamTransport implements SyslogTransport {
  #socket: net.Socket | undefined;
  #connecting: Promise<net.Socket> | undefined;

  constructor(private readonly options: StreamTransportOptions) {}

  async send(message: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const socket = await this.#connect();
    const frame = frameMessage(message, this.options.framing);
    await new Promise<void>((resolve, reject) => {
      socket.write(frame, (error) => {
        if (!error) return resolve();
        this.#discard(socket);
        reject(this.#error('CONNECTION_FAILED', `write failed: ${error.message}`, error));
      });
    });
  }

  async close(): Promise<void> {
    const socket = this.#socket ?? (await this.#connecting?.catch(() => undefined));
    this.#socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  #connect(): Promise<net.Socket> {
    const current = this.#socket;
    if (current && !current.destroyed && current.writable) return Promise.resolve(current);
    this.#connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const { open, readyEvent, connectTimeoutMs } = this.options;
      const socket = open();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(this.#error('TIMEOUT', `no connection within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      const onError = (error: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(
          error.code === 'EPROTOTYPE'
            ? this.#error('UNSUPPORTED_SOCKET', 'it is a datagram socket, not a stream', error)
            : this.#error('CONNECTION_FAILED', `cannot connect: ${error.message}`, error),
        );
      };
      socket.once('error', onError);
      socket.once(readyEvent, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        // Later errors show up in the next write's callback; the socket is dropped either way.
        socket.on('error', () => this.#discard(socket));
        socket.on('end', () => this.#discard(socket));
        socket.on('close', () => this.#discard(socket));
        socket.resume(); // syslog receivers do not answer; discard anything they send
        this.#socket = socket;
        resolve(socket);
      });
    }).finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #discard(socket: net.Socket): void {
    if (this.#socket === socket) this.#socket = undefined;
    socket.destroy();
  }

  #error(code: 'CONNECTION_FAILED' | 'TIMEOUT' | 'UNSUPPORTED_SOCKET', what: string, cause?: unknown): AlertingError {
    const { sink, target } = this.options;
    return new AlertingError(code, `sink "${sink}": ${target}: ${what}`, { cause, sink });
  }
}

/** Octet counting (RFC 6587 3.4.1): `<length> <message>`; LF: the message on one line. */
export function frameMessage(message: string, framing: StreamFraming): string {
  if (framing === 'lf') return `${message.replace(/[\r\n]+/g, ' ')}\n`;
  return `${Buffer.byteLength(message, 'utf8')} ${message}`;
}
