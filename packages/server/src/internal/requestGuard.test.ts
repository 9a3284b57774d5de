import { request } from 'node:http';
import { defaultConfig } from '@beacon/config';
import { createDetector } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { listen } from '../listen.js';
import { bodyOf } from './fixtures.js';

// Defect 4 of issue 17: any web page in the operator's browser could POST a configuration to a
// control plane on loopback (no key needed there) and allowlist everything.
const OPEN_EVERYTHING = JSON.stringify({ whitelist: { destination_ips: ['0.0.0.0/0'] } });
const setup = (cors: string[] = []) => {
  const config = defaultConfig();
  config.control_plane.cors_origins = cors;
  const detector = createDetector();
  return { detector, app: createApp({ detector, config }) };
};

describe('cross-site writes and DNS rebinding', () => {
  it('refuses a text/plain config update from a foreign origin, and the allowlist stays empty', async () => {
    const { app, detector } = setup();
    const res = await app.request('/api/v1/config', { method: 'POST', body: OPEN_EVERYTHING, headers: { 'content-type': 'text/plain', origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await bodyOf(res)).path).toBe('Origin');
    expect(detector.config.allowlist.destinationIps).toEqual([]);
  });

  it('refuses a write that is not JSON even without an Origin (415), and a foreign Origin even as JSON (403)', async () => {
    const { app, detector } = setup();
    const plain = await app.request('/api/v1/config', { method: 'POST', body: OPEN_EVERYTHING, headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    const form = await app.request('/api/v1/telemetry', { method: 'POST', body: 'events=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const json = await app.request('/api/v1/config', { method: 'POST', body: OPEN_EVERYTHING, headers: { 'content-type': 'application/json', origin: 'null' } });
    expect(json.status).toBe(403);
    expect(detector.config.allowlist.destinationIps).toEqual([]);
  });

  it('accepts the same origin, a configured CORS origin, and clients that send no Origin', async () => {
    const { app } = setup(['https://soc.example']);
    const body = JSON.stringify({ detection: { min_connections: 12 } });
    for (const origin of [undefined, 'http://localhost', 'https://soc.example']) {
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(origin ? { origin } : {}) };
      expect((await app.request('/api/v1/config', { method: 'POST', body, headers })).status, String(origin)).toBe(200);
    }
    // a write without a body (the original's CLI forcing an analysis) needs no Content-Type
    expect((await app.request('/api/v1/analyze', { method: 'POST' })).status).toBe(200);
  });

  it('on a real socket, refuses a Host that is not this server (DNS rebinding) and accepts its address', async () => {
    const { app } = setup();
    const server = await listen(app, { port: 0 });
    try {
      // node:http sends the Host header as given (fetch would replace it)
      const at = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: server.port, path: '/api/v1/status', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await at('attacker.example:9090')).toBe(403);
      expect(await at(`127.0.0.1:${server.port}`)).toBe(200);
      expect(await at(`localhost:${server.port}`)).toBe(200);
    } finally {
      await server.close();
    }
  });
});
