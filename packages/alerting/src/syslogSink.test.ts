import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlertingError } from './alertingError.js';
import { createAlert } from './createAlert.js';
import { beaconItem } from './internal/fixtures.js';
import { parseSyslog, streamReceiver, udpReceiver } from './internal/syslogReceiver.js';
import { SyslogSink } from './syslogSink.js';
import { unixDgramAvailable } from './internal/unixDgramTransport.js';

const now = (): number => Date.UTC(2025, 0, 1, 0, 41, 10);
const alert = (score = 0.874, pair = '10.0.0.5:203.0.113.9:443:TCP') => createAlert(beaconItem({ combined_score: score, pair_key: pair }), { now });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'beacon-syslog-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SyslogSink over UDP', () => {
  it('sends one parseable RFC 5424 datagram per alert', async () => {
    const rx = await udpReceiver();
    const sink = new SyslogSink({ protocol: 'udp', port: rx.port, hostname: 'sensor-1', procId: 99, facility: 'local3' });
    try {
      await sink.send(alert(0.95));
      await sink.send(alert(0.75, 'b"]\\pair'));
      const [first, second] = (await rx.waitFor(2)).map(parseSyslog);
      expect(first).toMatchObject({ pri: 19 * 8 + 2, timestamp: '2025-01-01T00:41:10.000Z', hostname: 'sensor-1', appName: 'beacon-detect', procId: '99', msgId: 'BEACON', sdId: 'beacon@32473' });
      expect(first?.params).toMatchObject({ pair: '10.0.0.5:203.0.113.9:443:TCP', score: '0.950', severity: 'critical', period: '60.0', count: '42' });
      expect(first?.msg).toMatch(/^\[CRITICAL\] Beaconing Detected: 10\.0\.0\.5 -> 203\.0\.113\.9:443 \| beacon_detector \| beacon-/);
      expect(second?.pri).toBe(19 * 8 + 4);
      expect(second?.params.pair).toBe('b"]\\pair'); // escaped on the wire, intact after parsing
    } finally {
      await sink.close();
      await rx.close();
    }
  });
});

describe('SyslogSink over TCP', () => {
  it('frames messages with octet counting', async () => {
    const rx = await streamReceiver(net.createServer(), { port: 0, host: '127.0.0.1' }, 'octet-counting');
    const sink = new SyslogSink({ protocol: 'tcp', port: rx.port });
    try {
      for (let i = 0; i < 5; i += 1) await sink.send(alert(0.8, `pair-${i}`));
      const parsed = (await rx.waitFor(5)).map(parseSyslog);
      expect(parsed.map((p) => p.params.pair)).toEqual(['pair-0', 'pair-1', 'pair-2', 'pair-3', 'pair-4']);
      expect(parsed.every((p) => p.pri === 16 * 8 + 3)).toBe(true);
      expect(rx.connections).toBe(1);
    } finally {
      await sink.close();
      await rx.close();
    }
  });

  it('fails while the receiver is down and reconnects when it is back', async () => {
    const first = await streamReceiver(net.createServer(), { port: 0, host: '127.0.0.1' }, 'octet-counting');
    const port = first.port;
    const sink = new SyslogSink({ protocol: 'tcp', port, connectTimeoutMs: 2000 });
    try {
      await sink.send(alert(0.8, 'before'));
      await first.waitFor(1);
      await first.close();
      await new Promise((r) => setTimeout(r, 50));
      const error = await sink.send(alert(0.8, 'while-down')).catch((e: unknown) => e);
      expect(isAlertingError(error) && error.code).toBe('CONNECTION_FAILED');
      const second = await streamReceiver(net.createServer(), { port, host: '127.0.0.1' }, 'octet-counting');
      try {
        await sink.send(alert(0.8, 'after'));
        expect((await second.waitFor(1)).map((m) => parseSyslog(m).params.pair)).toEqual(['after']);
      } finally {
        await second.close();
      }
    } finally {
      await sink.close();
    }
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!hasOpenssl)('SyslogSink over TLS', () => {
  it('verifies the receiver against the given CA and delivers', async () => {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    const pem = { key: readFileSync(key), cert: readFileSync(cert) };
    const rx = await streamReceiver(tls.createServer(pem), { port: 0, host: '127.0.0.1' }, 'octet-counting', 'secureConnection');
    const good = new SyslogSink({ protocol: 'tls', port: rx.port, tls: { ca: pem.cert }, name: 'tls' });
    const untrusted = new SyslogSink({ protocol: 'tls', port: rx.port, name: 'untrusted' });
    try {
      await good.send(alert(0.91));
      const [msg] = (await rx.waitFor(1)).map(parseSyslog);
      expect(msg?.params.severity).toBe('critical');
      const error = await untrusted.send(alert(0.91)).catch((e: unknown) => e);
      expect(isAlertingError(error) && error.code).toBe('CONNECTION_FAILED');
      expect((error as Error).message).toMatch(/untrusted.*tls 127\.0\.0\.1/);
    } finally {
      await good.close();
      await untrusted.close();
      await rx.close();
    }
  });
});

describe('SyslogSink over a unix stream socket', () => {
  it('writes one message per line', async () => {
    const socketPath = path.join(dir, 'log.sock');
    const rx = await streamReceiver(net.createServer(), { path: socketPath }, 'lf');
    const sink = new SyslogSink({ protocol: 'unix', path: socketPath });
    try {
      await sink.send(alert(0.72));
      const [msg] = (await rx.waitFor(1)).map(parseSyslog);
      expect(msg?.params.severity).toBe('medium');
      expect(msg?.msg).toContain('[WARNING] Beaconing Detected');
    } finally {
      await sink.close();
      await rx.close();
    }
  });

});

/**
 * A unix datagram receiver in python3 (Node cannot bind one): prints each datagram as one JSON
 * string line. Optionally reads nothing for `stallSec` first, so the socket buffer fills.
 */
async function dgramReceiver(socketPath: string, stallSec = 0): Promise<{ lines: string[]; waitFor(n: number): Promise<string[]>; close(): void }> {
  const script = [
    'import json, socket, sys, time',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)',
    's.bind(sys.argv[1])',
    'print("ready", flush=True)',
    'time.sleep(float(sys.argv[2]))',
    'while True:',
    '    print(json.dumps(s.recv(65536).decode()), flush=True)',
  ].join('\n');
  const py = spawn('python3', ['-c', script, socketPath, String(stallSec)]);
  const lines: string[] = [];
  let buf = '';
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  py.stdout.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line === 'ready') ready();
      else lines.push(JSON.parse(line) as string);
    }
  });
  await started;
  return {
    lines,
    async waitFor(n) {
      const until = Date.now() + 10_000;
      while (lines.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return lines.slice(0, n);
    },
    close: () => py.kill(),
  };
}

const hasPython = spawnSync('python3', ['-c', 'import socket']).status === 0;
const dgramReason = !hasPython ? 'python3 is needed for the datagram receiver' : !unixDgramAvailable() ? 'the optional unix-dgram addon is not built here' : '';

describe('SyslogSink over a unix datagram socket (as /dev/log is)', () => {
  it.skipIf(dgramReason !== '')(`finds out it is a datagram socket and sends one message per datagram${dgramReason ? ` (skipped: ${dgramReason})` : ''}`, async () => {
    const socketPath = path.join(dir, 'devlog.sock');
    const rx = await dgramReceiver(socketPath);
    const sink = new SyslogSink({ protocol: 'unix', path: socketPath, hostname: 'sensor-2' });
    try {
      await sink.send(alert(0.95));
      await sink.send(alert(0.75));
      const got = await rx.waitFor(2);
      expect(got).toHaveLength(2);
      const [first, second] = got.map(parseSyslog);
      expect(first?.hostname).toBe('sensor-2');
      expect(first?.params.severity).toBe('critical');
      expect(second?.params.severity).toBe('medium');
      expect(got[0]).not.toMatch(/^\d+ </); // no octet-count framing in a datagram
      expect(got[0]?.endsWith('\n')).toBe(false);
    } finally {
      await sink.close();
      rx.close();
    }
  });

  it.skipIf(dgramReason !== '')(`waits out a full receive buffer and loses nothing${dgramReason ? ` (skipped: ${dgramReason})` : ''}`, async () => {
    const socketPath = path.join(dir, 'slow.sock');
    const rx = await dgramReceiver(socketPath, 1.5); // reads nothing for 1.5 s; a 4 KiB buffer
    const sink = new SyslogSink({ protocol: 'unix', path: socketPath, connectTimeoutMs: 10_000 });
    try {
      const n = 40;
      const started = Date.now();
      for (let i = 0; i < n; i += 1) await sink.send(alert(0.9, `pair-${i}`));
      // the socket cannot queue 40 messages: the sends had to wait for the receiver to read
      expect(Date.now() - started).toBeGreaterThan(1000);
      const got = await rx.waitFor(n);
      expect(got.map((m) => parseSyslog(m).params.pair)).toEqual(Array.from({ length: n }, (_, i) => `pair-${i}`));
    } finally {
      await sink.close();
      rx.close();
    }
  });

  it.skipIf(dgramReason !== '')(`fails a send, naming the path, when the receiver is gone${dgramReason ? ` (skipped: ${dgramReason})` : ''}`, async () => {
    const socketPath = path.join(dir, 'gone.sock');
    const rx = await dgramReceiver(socketPath);
    const sink = new SyslogSink({ protocol: 'unix', path: socketPath });
    try {
      await sink.send(alert());
      rx.close();
      await new Promise((r) => setTimeout(r, 200));
      rmSync(socketPath, { force: true });
      const error = await sink.send(alert()).catch((e: unknown) => e);
      expect(isAlertingError(error) && error.code).toBe('CONNECTION_FAILED');
      expect((error as Error).message).toContain(socketPath);
    } finally {
      await sink.close();
      rx.close();
    }
  });
});

describe('SyslogSink options', () => {
  it('rejects bad options by name', () => {
    expect(() => new SyslogSink({ protocol: 'sctp' as 'udp' })).toThrow(/protocol must be udp, tcp, tls or unix \(got "sctp"\)/);
    expect(() => new SyslogSink({ port: 70000 })).toThrow(/port must be an integer 1-65535/);
    expect(() => new SyslogSink({ facility: 'local8' as 'local0' })).toThrow(/facility/);
    expect(() => new SyslogSink({ minSeverity: 'urgent' as 'high' })).toThrow(/minSeverity/);
  });

  it('filters by minSeverity and refuses sends after close', async () => {
    const sink = new SyslogSink({ minSeverity: 'high' });
    expect(sink.accepts(alert(0.85))).toBe(true);
    expect(sink.accepts(alert(0.75))).toBe(false);
    await sink.close();
    await expect(sink.send(alert())).rejects.toMatchObject({ code: 'SINK_CLOSED' });
  });
});
