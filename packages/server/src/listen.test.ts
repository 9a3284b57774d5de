import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDetector } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from './createApp.js';
import { bodyOf, batchBody, wireEvent } from './internal/fixtures.js';
import { isLoopback, listen } from './listen.js';
import { isServerError } from './serverError.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('listen', () => {
  it('serves over a real socket on 127.0.0.1 (gzip telemetry, then status)', async () => {
    const detector = createDetector();
    const running = await listen(createApp({ detector, apiKey: 'k' }), { port: 0 });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const body = gzipSync(batchBody(Array.from({ length: 100 }, (_, i) => wireEvent(i))));
      const res = await fetch(`${running.url}/api/v1/telemetry`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: 'Bearer k' },
      });
      expect(res.status).toBe(200);
      expect((await bodyOf(res)).events_accepted).toBe(100);
      const status = await bodyOf(await fetch(`${running.url}/api/v1/status`));
      expect(status.events_received).toBe(100);
      const big = await fetch(`${running.url}/api/v1/telemetry`, { method: 'POST', body: Buffer.alloc(9 * 1024 * 1024, 0x20), headers: { 'x-api-key': 'k', 'content-type': 'application/json' } });
      expect(big.status).toBe(413);
    } finally {
      await running.close();
    }
  });

  it('refuses a non-loopback bind without an API key', async () => {
    const app = createApp({ detector: createDetector() });
    const err = await listen(app, { hostname: '0.0.0.0', port: 0 }).catch((e: unknown) => e);
    expect(isServerError(err) && err.code === 'INSECURE_BIND').toBe(true);
    expect((err as Error).message).toMatch(/api_key/);
    const keyed = await listen(createApp({ detector: createDetector(), apiKey: 'k' }), { hostname: '0.0.0.0', port: 0 });
    await keyed.close();
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::')).toBe(false);
  });

  it.skipIf(!hasOpenssl())('serves HTTPS with a self-signed certificate (needs openssl)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-tls-'));
    try {
      const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const running = await listen(createApp({ detector: createDetector() }), { port: 0, tls: { certPath, keyPath } });
      try {
        expect(running.url).toMatch(/^https:/);
        const body = await new Promise<string>((resolve, reject) => {
          httpsRequest(`${running.url}/api/v1/health`, { rejectUnauthorized: false }, (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve(text));
          })
            .on('error', reject)
            .end();
        });
        expect(JSON.parse(body).status).toBe('healthy');
      } finally {
        await running.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
