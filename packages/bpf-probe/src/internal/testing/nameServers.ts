/**
 * Test helper: inside a test namespace, a TLS server (self-signed certificate made with the
 * openssl CLI), a plain TCP server and a tiny DNS responder, all in one Node process, listening
 * on every address of the namespace. Stopped by stop().
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestNet } from './netns.js';

export const TLS_PORT = 8443;
export const PLAIN_PORT = 8080;

export interface NameServers {
  /** Directory holding cert.pem/key.pem. */
  dir: string;
  stop(): void;
}

/** True when the openssl CLI is there (to make the certificate and for s_client). */
export function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// The server process: TLS and plain TCP answer one line and close; DNS answers A queries for
// the names in ZONE (a JSON map name -> addresses) with TTL 300, NXDOMAIN otherwise.
const SERVER = String.raw`
const tls = require('node:tls'), net = require('node:net'), dgram = require('node:dgram'), fs = require('node:fs');
const [dir, tlsPort, plainPort, zoneJson] = process.argv.slice(1);
const zone = JSON.parse(zoneJson);
let ready = 0;
const up = () => { if (++ready === 3) process.stdout.write('ready\n'); };
tls.createServer({ key: fs.readFileSync(dir + '/key.pem'), cert: fs.readFileSync(dir + '/cert.pem') }, (s) => {
  s.on('error', () => {});
  s.end('ok\n');
}).listen(Number(tlsPort), '0.0.0.0', up);
net.createServer((s) => {
  s.on('error', () => {});
  s.once('data', () => s.end('ok\n'));
}).listen(Number(plainPort), '0.0.0.0', up);
const dns = dgram.createSocket('udp4');
dns.on('message', (q, from) => {
  if (q.length < 17) return;
  const labels = [];
  let p = 12;
  while (p < q.length && q[p] !== 0) { labels.push(q.subarray(p + 1, p + 1 + q[p]).toString('latin1')); p += 1 + q[p]; }
  const qEnd = p + 5;
  const name = labels.join('.').toLowerCase();
  const addrs = zone[name] || [];
  const head = Buffer.alloc(12);
  q.copy(head, 0, 0, 2);
  head.writeUInt16BE(0x8180 | (addrs.length ? 0 : 3), 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(addrs.length, 6);
  const answers = addrs.map((a) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(1, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(300, 6); rr.writeUInt16BE(4, 10);
    a.split('.').forEach((o, i) => { rr[12 + i] = Number(o); });
    return rr;
  });
  dns.send(Buffer.concat([head, q.subarray(12, qEnd), ...answers]), from.port, from.address);
});
dns.bind(53, '0.0.0.0', up);
`;

/** Starts the servers inside `net`; resolves once all three listen. */
export async function startNameServers(net: TestNet, zone: Record<string, string[]>): Promise<NameServers> {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-names-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=beacon-test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const child: ChildProcess = spawn('ip', ['netns', 'exec', net.ns, process.execPath, '-e', SERVER, dir, String(TLS_PORT), String(PLAIN_PORT), JSON.stringify(zone)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`name servers did not start: ${stderr}`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`name servers exited (${code}): ${stderr}`));
    });
  });
  return {
    dir,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
