import { MemorySink } from '@beacon/alerting';
import { defaultConfig } from '@beacon/config';
import { MemoryStore, type ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createPipeline } from './createPipeline.js';

const T0 = 1_700_000_000;
const beacon = (i: number): ConnectionEvent => ({ tsSec: T0 + i * 60, tsNsec: 0, srcIp: '10.0.0.5', dstIp: '203.0.113.9', srcPort: 40000 + i, dstPort: 443, protocol: 6, direction: 'egress', bytes: 310, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'test' });

describe('createPipeline (no HTTP)', () => {
  it('wires detector -> alert -> dispatcher -> sink, and persists through a store', async () => {
    const store = new MemoryStore();
    const sink = new MemorySink();
    const seen: string[] = [];
    const now = () => (T0 + 40 * 60) * 1000;
    const pipeline = createPipeline(defaultConfig(), { sinks: [sink], store, now, onAlert: (a) => seen.push(a.alert_id) });
    expect(await pipeline.restore()).toEqual({ pairs: 0, beacons: 0, alerts: 0 });
    pipeline.detector.ingestBatch(Array.from({ length: 30 }, (_, i) => beacon(i)));
    await pipeline.close({ finalAnalysis: true });
    expect(pipeline.alertsRaised).toBe(1);
    expect(sink.alerts.map((a) => a.alert_id)).toEqual(seen);
    expect(sink.alerts[0]?.details.dst_ip).toBe('203.0.113.9');

    // A second pipeline over the same store starts where the first stopped.
    const again = createPipeline(defaultConfig(), { sinks: [], store, now });
    const restored = await again.restore();
    expect(restored.pairs).toBe(1);
    expect(restored.beacons).toBe(1);
    expect(again.detector.stats().storage.pair_count).toBe(1);
    await again.close();
  });

  it('counts alerts but does not deliver them with alerting off', async () => {
    const config = defaultConfig();
    config.alerting.enabled = false;
    const sink = new MemorySink();
    const pipeline = createPipeline(config, { sinks: [sink], now: () => (T0 + 40 * 60) * 1000 });
    pipeline.detector.ingestBatch(Array.from({ length: 30 }, (_, i) => beacon(i)));
    await pipeline.close({ finalAnalysis: true });
    expect(pipeline.alertsRaised).toBe(1);
    expect(sink.alerts).toHaveLength(0);
  });
});
