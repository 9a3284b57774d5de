/**
 * Real TLS ClientHellos for tests: a loopback TLS server (self-signed certificate made with the
 * `openssl` binary) that records the raw bytes of each connection's first record before TLS
 * takes over, and the two clients the issue names: `openssl s_client -servername` and Node's
 * `tls.connect`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether the `openssl` binary is on the PATH. */
export async function hasOpenssl(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** A self-signed EC certificate and key (PEM) for `CN=name`. */
export async function selfSigned(name: string): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'names-tls-'));
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${name}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A loopback TLS server that keeps each connection's first client bytes (the ClientHello). */
export interface HelloServer {
  port: number;
  host: string;
  /** ClientHello bytes per connection, in arrival order. */
  hellos: Buffer[];
  /** Completed TLS handshakes (proves the recorded bytes were a working ClientHello). */
  handshakes: number;
  /** Resolves with the next recorded ClientHello. */
  nextHello(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Starts a {@link HelloServer} on `host` (a loopback address) and a random port: a TCP relay that
 * records the client's first record and pipes both directions to a real TLS server behind it.
 */
export async function startHelloServer(host: string, creds: { key: string; cert: string }): Promise<HelloServer> {
  const tlsServer = tls.createServer({ key: creds.key, cert: creds.cert });
  const waiting: ((b: Buffer) => void)[] = [];
  const sockets = new Set<net.Socket>();
  const state: HelloServer = {
    port: 0,
    host,
    hellos: [],
    handshakes: 0,
    nextHello: () => new Promise<Buffer>((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    },
  };
  tlsServer.on('secureConnection', (s) => {
    state.handshakes++;
    s.on('error', () => undefined);
    s.end();
  });
  tlsServer.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', () => resolve()));
  const backPort = (tlsServer.address() as net.AddressInfo).port;
  const relay = net.createServer((socket) => {
    const back = net.connect(backPort, '127.0.0.1');
    for (const s of [socket, back]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    const chunks: Buffer[] = [];
    let have = 0;
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      back.write(chunk);
      if (done) return;
      chunks.push(chunk);
      have += chunk.length;
      const all = Buffer.concat(chunks, have);
      if (have < 5 || have < 5 + all.readUInt16BE(3)) return;
      done = true;
      state.hellos.push(all);
      for (const w of waiting.splice(0)) w(all);
    });
    socket.on('end', () => back.end());
    back.on('data', (d: Buffer) => socket.write(d));
    back.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => relay.listen(0, host, () => resolve()));
  state.port = (relay.address() as net.AddressInfo).port;
  return state;
}

/** Connects with Node's `tls.connect` sending `servername`; resolves once the handshake ended. */
export function nodeClientHello(server: HelloServer, servername: string): Promise<void> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: server.host, port: server.port, servername, rejectUnauthorized: false }, () => s.end());
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    s.resume();
  });
}

/** Runs `openssl s_client -servername` against the server; resolves when it exits. */
export function opensslClientHello(server: HelloServer, servername: string, extra: string[] = []): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      'openssl',
      ['s_client', '-connect', `${server.host}:${server.port}`, '-servername', servername, '-quiet', ...extra],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    const timer = setTimeout(() => child.kill(), 5000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.on('error', () => resolve());
    // End input once the handshake has had time: s_client then closes the connection.
    server.nextHello().then(
      () => setTimeout(() => child.stdin.end(), 100),
      () => undefined,
    );
  });
}
