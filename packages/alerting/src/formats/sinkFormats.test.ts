import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlertingError } from '../alertingError.js';
import { createAlert } from '../createAlert.js';
import { createSinksFromConfig } from '../createSinksFromConfig.js';
import { FileSink } from '../fileSink.js';
import { beaconItem } from '../internal/fixtures.js';
import { udpReceiver } from '../internal/syslogReceiver.js';
import { ecsProblems } from '../internal/testing/ecsSpec.js';
import { ocsfDetectionFindingProblems } from '../internal/testing/ocsfSpec.js';
import { SyslogSink } from '../syslogSink.js';
import { WebhookSink } from '../webhookSink.js';

const now = (): number => Date.UTC(2025, 0, 1, 0, 41, 10);
const alert = createAlert(beaconItem(), { now });
const dir = mkdtempSync(path.join(os.tmpdir(), 'beacon-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sinks write the configured format', () => {
  it('file: one ECS document per line', async () => {
    const file = path.join(dir, 'alerts.ecs.json');
    const sink = new FileSink({ path: file, format: 'ecs', hostname: 'h1' });
    await sink.send(alert);
    await sink.close();
    const doc = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
    expect(ecsProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({ event: { kind: 'alert' }, observer: { hostname: 'h1' } });
  });

  it('webhook: POSTs the OCSF finding to a real loopback server', async () => {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sink = new WebhookSink({ url: `http://127.0.0.1:${port}/hook`, format: 'ocsf', retries: 0 });
      await sink.send(alert);
      await sink.close();
      const finding = JSON.parse(bodies[0] as string) as Record<string, unknown>;
      expect(ocsfDetectionFindingProblems(finding)).toEqual([]);
      expect(finding.class_uid).toBe(2004);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('syslog: CEF and ECS bodies after the RFC 5424 header, over UDP', async () => {
    const rx = await udpReceiver();
    const cef = new SyslogSink({ port: rx.port, format: 'cef', hostname: 'sensor-1' });
    const ecs = new SyslogSink({ port: rx.port, format: 'ecs', hostname: 'sensor-1' });
    try {
      await cef.send(alert);
      await ecs.send(alert);
      const [a, b] = await rx.waitFor(2);
      // PRI local0 (16) * 8 + error (3) for a high alert; NILVALUE structured data.
      expect(a).toMatch(/^<131>1 2025-01-01T00:41:10\.000Z sensor-1 beacon-detect \d+ BEACON - CEF:0\|Beacon\|Beacon\|/);
      const json = (b as string).slice((b as string).indexOf(' - ') + 3);
      expect(ecsProblems(JSON.parse(json) as Record<string, unknown>)).toEqual([]);
    } finally {
      await cef.close();
      await ecs.close();
      await rx.close();
    }
  });

  it('rejects a format a sink cannot write, naming the sink and the choices', () => {
    const bad = (() => new FileSink({ path: path.join(dir, 'x'), format: 'cef' as 'ecs' }));
    expect(bad).toThrow('FileSink "file": format must be beacon, ecs, ocsf (got "cef")');
    try {
      bad();
    } catch (e) {
      expect(isAlertingError(e) && e.code).toBe('INVALID_OPTIONS');
    }
    expect(() => new SyslogSink({ format: 'leef' as 'cef' })).toThrow('format must be beacon, ecs, ocsf, cef');
  });

  it('createSinksFromConfig passes each section\'s format through', async () => {
    const file = path.join(dir, 'cfg.json');
    const [sink] = createSinksFromConfig({ syslog: { enabled: false }, file: { enabled: true, path: file, format: 'ocsf' } });
    await sink?.send(alert);
    await sink?.close();
    expect(ocsfDetectionFindingProblems(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)).toEqual([]);
    expect(() => createSinksFromConfig({ syslog: { enabled: false }, file: { enabled: true, path: file, format: 'cef' as 'ecs' } })).toThrow(/alerting\.file: .*format must be/);
  });
});
