import { MemorySink } from '@beacon/alerting';
import { defaultConfig } from '@beacon/config';
import { describe, expect, it } from 'vitest';
import { createControlPlane } from './controlPlane.js';
import { bodyOf, batchBody, post, wireEvent } from './internal/fixtures.js';

describe('createControlPlane', () => {
  it('wires telemetry -> detector -> alert -> dispatcher -> sink, and closes cleanly', async () => {
    const config = defaultConfig();
    config.control_plane.api_key = 'k';
    config.control_plane.listen_port = 0;
    const sink = new MemorySink();
    const cp = createControlPlane(config, { sinks: [sink], now: () => (1_700_000_000 + 40 * 60) * 1000 });
    cp.start();
    const running = await cp.listen();
    const events = Array.from({ length: 30 }, (_, i) => wireEvent(i));
    const res = await fetch(`${running.url}/api/v1/telemetry`, { ...post(batchBody(events), { 'x-api-key': 'k' }) });
    expect(res.status).toBe(200);
    const analyzed = await bodyOf(await cp.app.request('/api/v1/analyze', { method: 'POST', headers: { 'x-api-key': 'k' } }));
    expect(analyzed.run.alerts_generated).toBe(1);
    await cp.dispatcher.flush();
    expect(sink.alerts).toHaveLength(1);
    expect(sink.alerts[0]!.details.pair_key).toBe('10.0.0.5->203.0.113.9:443/TCP');
    const alerts = await bodyOf(await cp.app.request('/api/v1/alerts'));
    expect(alerts.count).toBe(1);
    await cp.close();
    await expect(fetch(`${running.url}/api/v1/health`)).rejects.toThrow();
    expect(cp.detector.stats().analyzer.running).toBe(false);
  });

  it('alerting.enabled=false over the API stops alerts', async () => {
    const sink = new MemorySink();
    const cp = createControlPlane(defaultConfig(), { sinks: [sink], now: () => (1_700_000_000 + 40 * 60) * 1000 });
    const r = await cp.app.request('/api/v1/config', { method: 'POST', body: JSON.stringify({ alerting: { enabled: false } }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    await cp.app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 30 }, (_, i) => wireEvent(i)))));
    cp.detector.analyze();
    await cp.close();
    expect(sink.alerts).toHaveLength(0);
  });
});
