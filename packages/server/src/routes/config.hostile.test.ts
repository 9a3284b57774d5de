import { createDetector } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { bodyOf } from '../internal/fixtures.js';

// Defects 5, 6 and 13 of issue 17 through the config API: each value below used to be applied.
const setup = () => {
  const detector = createDetector();
  return { detector, app: createApp({ detector }) };
};
const postConfig = (app: ReturnType<typeof setup>['app'], body: unknown) =>
  app.request('/api/v1/config', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('POST /api/v1/config with hostile values', () => {
  it('refuses intervals a timer cannot hold, or so short they spin, naming the key', async () => {
    const { app, detector } = setup();
    for (const v of [3_000_000, 1e-9]) {
      const res = await postConfig(app, { detection: { analysis_interval: v } });
      expect(res.status, String(v)).toBe(400);
      expect((await bodyOf(res)).path).toBe('detection.analysis_interval');
    }
    expect(detector.config.analysisInterval).toBe(60);
  });

  it('refuses weights whose sum is not finite (every score would be 0)', async () => {
    const { app, detector } = setup();
    const res = await postConfig(app, { weights: { cv: 1e308, periodicity: 1e308 } });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error).toMatch(/finite sum/);
    expect(detector.config.weights.cv).toBe(0.35);
    expect(() => detector.updateConfig({ weights: { cv: 1e308, periodicity: 1e308, jitter: 0, size: 0 } })).toThrow(/finite sum/);
  });

  it('refuses an allowlist longer than the limit', async () => {
    const { app } = setup();
    const res = await postConfig(app, { whitelist: { destination_ports: Array.from({ length: 70_000 }, (_, i) => (i % 65535) + 1) } });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).path).toMatch(/^whitelist\./);
  });
});
