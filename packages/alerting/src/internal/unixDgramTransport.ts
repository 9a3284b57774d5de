// Node has no unix datagram sockets (node:dgram is UDP only). `unix-dgram`, an optional
// dependency (a small native addon), provides them; this transport is the syslog part over it.
import { createRequire } from 'node:module';
import os from 'node:os';
import { AlertingError } from '../alertingError.js';
import type { SyslogTransport } from './syslogTransport.js';

/** The part of a `unix-dgram` socket used here (its callbacks and events are synchronous). */
interface DgramSocket {
  on(event: 'error', listener: (error: Error & { code?: number }) => void): void;
  on(event: 'writable', listener: () => void): void;
  once(event: 'writable', listener: () => void): void;
  off(event: 'writable', listener: () => void): void;
  connect(path: string): void;
  send(buf: Buffer, callback: (error?: Error & { code?: number }) => void): void;
  close(): void;
}

interface DgramModule {
  createSocket(type: 'unix_dgram'): DgramSocket;
}

let loaded: DgramModule | Error | undefined;

/** `unix-dgram`, or the error of loading it (missing, or its native part not built). */
function loadDgram(): DgramModule | Error {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('unix-dgram') as DgramModule;
    } catch (error) {
      loaded = error as Error;
    }
  }
  return loaded;
}

/** Whether unix datagram sockets can be used here (the optional `unix-dgram` addon loads). */
export function unixDgramAvailable(): boolean {
  return !(loadDgram() instanceof Error);
}

/** `-111` -> `ECONNREFUSED`: unix-dgram reports negative errno values. */
function errnoName(code: number | undefined): string {
  if (code === undefined) return 'unknown error';
  const n = -code;
  for (const [name, value] of Object.entries(os.constants.errno)) if (value === n) return name;
  return `errno ${n}`;
}

/**
 * One syslog message per datagram to a unix datagram socket such as `/dev/log`. The socket is
 * connected on the first send and again after a failure. A full receive buffer (congestion)
 * waits for the socket to turn writable, up to `timeoutMs`, then fails the send: nothing is
 * dropped silently.
 */
export class UnixDgramTransport implements SyslogTransport {
  #socket: DgramSocket | undefined;

  constructor(
    private readonly path: string,
    private readonly sink: string,
    private readonly timeoutMs: number,
  ) {}

  async send(message: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const socket = this.#open();
    const buf = Buffer.from(message);
    for (;;) {
      const outcome = await new Promise<'sent' | 'congested'>((resolve, reject) => {
        socket.send(buf, (error) => {
          if (!error) resolve('sent');
          else if (error.message === 'congestion') resolve('congested');
          else {
            this.#discard();
            reject(this.#error('CONNECTION_FAILED', `send failed: ${errnoName(error.code)}`, error));
          }
        });
      });
      if (outcome === 'sent') return;
      await this.#writable(socket, signal);
    }
  }

  async close(): Promise<void> {
    this.#discard();
  }

  #open(): DgramSocket {
    if (this.#socket) return this.#socket;
    const mod = loadDgram();
    if (mod instanceof Error) {
      throw this.#error('UNSUPPORTED_SOCKET', `it is a datagram socket, which needs the optional dependency unix-dgram (a native addon), and it did not load: ${mod.message.split('\n')[0]}`, mod);
    }
    const socket = mod.createSocket('unix_dgram');
    let failure: (Error & { code?: number }) | undefined;
    const onError = (error: Error & { code?: number }): void => {
      failure = error;
    };
    socket.on('error', onError);
    socket.connect(this.path); // emits 'error' or 'connect' before it returns
    if (failure) {
      socket.close();
      throw this.#error('CONNECTION_FAILED', `cannot connect: ${errnoName(failure.code)}`, failure);
    }
    this.#socket = socket;
    return socket;
  }

  #writable(socket: DgramSocket, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: AlertingError): void => {
        clearTimeout(timer);
        socket.off('writable', onWritable);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onWritable = (): void => done();
      const onAbort = (): void => done(this.#error('TIMEOUT', 'aborted while the receiver was congested'));
      const timer = setTimeout(() => done(this.#error('TIMEOUT', `receiver congested for ${this.timeoutMs} ms`)), this.timeoutMs);
      socket.once('writable', onWritable);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #discard(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    try {
      socket?.close();
    } catch {
      // already closed
    }
  }

  #error(code: 'CONNECTION_FAILED' | 'TIMEOUT' | 'UNSUPPORTED_SOCKET', what: string, cause?: unknown): AlertingError {
    return new AlertingError(code, `sink "${this.sink}": unix ${this.path}: ${what}`, { cause, sink: this.sink });
  }
}

/**
 * A unix socket of either kind: a stream connection first (octet counting or lines, as
 * configured); when the path turns out to be a datagram socket (`EPROTOTYPE`), datagrams from
 * then on.
 */
export class UnixTransport implements SyslogTransport {
  #dgram: UnixDgramTransport | undefined;

  constructor(
    private readonly stream: SyslogTransport,
    private readonly makeDgram: () => UnixDgramTransport,
  ) {}

  async send(message: string, signal?: AbortSignal): Promise<void> {
    if (this.#dgram) return this.#dgram.send(message, signal);
    try {
      await this.stream.send(message, signal);
    } catch (error) {
      if (!(error instanceof AlertingError) || error.code !== 'UNSUPPORTED_SOCKET') throw error;
      this.#dgram = this.makeDgram();
      await this.#dgram.send(message, signal);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.stream.close(), this.#dgram?.close()]);
  }
}
