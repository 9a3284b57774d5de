// Test helpers: loopback syslog receivers that parse what arrives.
import dgram from 'node:dgram';
import type net from 'node:net';
import type tls from 'node:tls';

export interface ParsedSyslog {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  sdId: string;
  params: Record<string, string>;
  msg: string;
}

/** Parses one RFC 5424 message with exactly one SD element. */
export function parseSyslog(raw: string): ParsedSyslog {
  const head = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) \[/.exec(raw);
  if (!head) throw new Error(`not RFC 5424: ${raw.slice(0, 80)}`);
  let i = head[0].length;
  const idEnd = raw.indexOf(' ', i);
  const sdId = raw.slice(i, idEnd);
  i = idEnd;
  const params: Record<string, string> = {};
  while (raw[i] === ' ') {
    const eq = raw.indexOf('="', i);
    const name = raw.slice(i + 1, eq);
    let value = '';
    let j = eq + 2;
    for (; raw[j] !== '"'; j += 1) {
      if (raw[j] === '\\') j += 1;
      value += raw[j];
    }
    params[name] = value;
    i = j + 1;
  }
  if (raw[i] !== ']' || raw[i + 1] !== ' ') throw new Error(`bad SD end at ${i}: ${raw.slice(i, i + 20)}`);
  const [, pri, timestamp, hostname, appName, procId, msgId] = head as unknown as string[];
  return { pri: Number(pri), timestamp: timestamp!, hostname: hostname!, appName: appName!, procId: procId!, msgId: msgId!, sdId, params, msg: raw.slice(i + 2) };
}

/** Splits an octet-counted stream (RFC 6587); returns the messages and the unparsed rest. */
export function splitOctetCounted(buffer: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let rest = buffer;
  for (;;) {
    const space = rest.indexOf(0x20);
    if (space < 0) break;
    const length = Number(rest.subarray(0, space).toString('ascii'));
    if (!Number.isInteger(length)) throw new Error(`bad octet count: ${rest.subarray(0, space).toString()}`);
    if (rest.length < space + 1 + length) break;
    messages.push(rest.subarray(space + 1, space + 1 + length).toString('utf8'));
    rest = rest.subarray(space + 1 + length);
  }
  return { messages, rest };
}

export interface Receiver {
  messages: string[];
  /** Resolves once `count` messages arrived. */
  waitFor(count: number): Promise<string[]>;
  connections: number;
  server: net.Server | dgram.Socket;
  close(): Promise<void>;
}

function makeWaiter(messages: string[]): { notify: () => void; waitFor: (n: number) => Promise<string[]> } {
  const waiters: Array<{ n: number; resolve: (m: string[]) => void }> = [];
  return {
    notify: () => {
      for (const w of [...waiters]) if (messages.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(messages); }
    },
    waitFor: (n) => (messages.length >= n ? Promise.resolve(messages) : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

export async function udpReceiver(): Promise<Receiver & { port: number }> {
  const socket = dgram.createSocket('udp4');
  const messages: string[] = [];
  const { notify, waitFor } = makeWaiter(messages);
  socket.on('message', (msg) => { messages.push(msg.toString('utf8')); notify(); });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { messages, waitFor, connections: 0, server: socket, port: socket.address().port, close: () => new Promise((r) => socket.close(() => r())) };
}

/** A stream receiver on a net or tls server; `framing` as the sink sends it. */
export async function streamReceiver(
  server: net.Server | tls.Server,
  listen: { port: number; host: string } | { path: string },
  framing: 'octet-counting' | 'lf',
  event: 'connection' | 'secureConnection' = 'connection',
): Promise<Receiver & { port: number; destroyConnections: () => void }> {
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const { notify, waitFor } = makeWaiter(messages);
  const receiver = {
    messages, waitFor, connections: 0, server, port: 0,
    destroyConnections: () => { for (const s of sockets) s.destroy(); },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
  server.on(event, (socket: net.Socket) => {
    receiver.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (framing === 'octet-counting') {
        const { messages: got, rest } = splitOctetCounted(pending);
        messages.push(...got);
        pending = rest;
      } else {
        let nl: number;
        while ((nl = pending.indexOf(0x0a)) >= 0) { messages.push(pending.subarray(0, nl).toString('utf8')); pending = pending.subarray(nl + 1); }
      }
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(listen, resolve));
  const address = server.address();
  receiver.port = typeof address === 'object' && address ? address.port : 0;
  return receiver;
}
