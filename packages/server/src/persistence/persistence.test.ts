import { MemorySink, type Alert } from '@beacon/alerting';
import { defaultConfig } from '@beacon/config';
import { MemoryStore, type StateDelta } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { createControlPlane } from '../controlPlane.js';
import { bodyOf, batchBody, post, wireEvent } from '../internal/fixtures.js';
import { SERVER_STATES } from './serverCounters.js';
import { mergeDeltas } from './mergeDeltas.js';

/** MemoryStore plus alerts, and a switch to make saves fail. */
class TestStore extends MemoryStore {
  alerts: Alert[] = [];
  fail = false;
  deltas: StateDelta[] = [];
  /** While set, saves wait for it (a slow disk). */
  gate: Promise<void> | null = null;
  override save(delta: StateDelta): Promise<void> {
    if (this.fail) return Promise.reject(new Error('disk full'));
    this.deltas.push(structuredClone(delta));
    return this.gate ? this.gate.then(() => super.save(delta)) : super.save(delta);
  }
  saveAlerts(alerts: readonly Alert[]): Promise<void> {
    this.alerts.push(...alerts);
    return Promise.resolve();
  }
  loadAlerts(limit: number): Promise<Alert[]> {
    return Promise.resolve(this.alerts.slice(-limit));
  }
  reopen(): void {
    (this as unknown as { closed: boolean }).closed = false;
  }
}

const NOW = (1_700_000_000 + 40 * 60) * 1000;
const serverCountersHooked = SERVER_STATES.has(createApp({ detector: createControlPlane(defaultConfig()).detector }));

async function runOnce(store: TestStore) {
  const sink = new MemorySink();
  const cp = createControlPlane(defaultConfig(), { sinks: [sink], now: () => NOW, store, flushIntervalMs: 60_000 });
  await cp.ready;
  return { cp, sink };
}

describe('control plane persistence', () => {
  it('restores pairs, beacons, cooldowns, counters and alerts after a restart', async () => {
    const store = new TestStore();
    const first = await runOnce(store);
    expect((await first.cp.app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 30 }, (_, i) => wireEvent(i)))))).status).toBe(200);
    first.cp.detector.analyze();
    await first.cp.close(); // delivers the alert, then the final flush
    expect(first.sink.alerts).toHaveLength(1);
    expect(store.alerts.map((a) => a.alert_id)).toEqual(first.sink.alerts.map((a) => a.alert_id));
    store.reopen();

    const second = await runOnce(store);
    const { cp } = second;
    expect(cp.detector.pairs()).toHaveLength(1);
    expect(cp.detector.beacons()).toHaveLength(1);
    expect(cp.detector.stats().analyzer.total_runs).toBe(1);
    const alerts = await bodyOf(await cp.app.request('/api/v1/alerts'));
    expect(alerts.count).toBe(1);
    // The cooldown survived: analysing again raises no second alert.
    cp.detector.analyze();
    await cp.dispatcher.flush();
    expect(second.sink.alerts).toHaveLength(0);
    // the alert counters continue: the alert sent before the restart still counts
    const alerter = (await bodyOf(await cp.app.request('/api/v1/status'))).alerter as {
      alerts_sent: number;
      alerts_by_severity: Record<string, number>;
      sinks: Record<string, { sent: number }>;
    };
    expect(alerter.alerts_sent).toBe(1);
    expect(Object.values(alerter.alerts_by_severity).reduce((a, b) => a + b, 0)).toBe(1);
    expect(alerter.sinks.memory?.sent).toBe(1);
    if (serverCountersHooked) {
      const status = await bodyOf(await cp.app.request('/api/v1/status'));
      expect(status.events_received).toBe(30);
      expect(status.batches_processed).toBe(1);
    }
    await cp.close();
  });

  it('writes nothing per event: one delta per flush, and none before the state is restored', async () => {
    const store = new TestStore();
    const { cp } = await runOnce(store);
    for (let b = 0; b < 5; b++) await cp.app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 10 }, (_, i) => wireEvent(b * 10 + i)))));
    expect(store.saves).toBe(0);
    await cp.flush();
    expect(store.saves).toBe(1);
    expect(store.deltas[0]!.pairs).toHaveLength(1);
    await cp.close();
    expect(store.saves).toBe(2);
  });

  it('keeps a failed flush and writes it with the next one', async () => {
    const store = new TestStore();
    const { cp } = await runOnce(store);
    await cp.app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 10 }, (_, i) => wireEvent(i)))));
    store.fail = true;
    await cp.flush();
    store.fail = false;
    await cp.flush();
    expect((await store.load())!.pairs[0]!.times).toHaveLength(10);
    await cp.close();
  });

  it('a flush asked for while one is writing writes again after it: nothing accepted before the call is left out', async () => {
    const store = new TestStore();
    const { cp } = await runOnce(store);
    expect((await cp.app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 10 }, (_, i) => wireEvent(i)))))).status).toBe(200);
    let release!: () => void;
    store.gate = new Promise((r) => (release = r));
    const slow = cp.flush(); // took the first 10 events, now waits on the disk
    expect((await cp.app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 10 }, (_, i) => wireEvent(10 + i)))))).status).toBe(200);
    // the flush timer's next tick (or close()) while the slow one is still writing
    const next = cp.flush();
    const alsoNext = cp.flush();
    release();
    await Promise.all([slow, next, alsoNext]);
    const saved = (await store.load())!;
    expect(saved.pairs[0]!.times).toHaveLength(20);
    if (serverCountersHooked) expect(saved.counters['server.events_received']).toBe(20);
    // the slow flush had taken only the first batch; the calls made meanwhile shared one more
    expect(store.deltas.map((d) => d.pairs[0]!.times.length)).toEqual([10, 20]);
    await cp.close();
  });

  it('a store that cannot be read rejects ready, and listen() refuses to serve', async () => {
    const store = new TestStore();
    store.load = () => Promise.reject(new Error('bad file'));
    const cp = createControlPlane(defaultConfig(), { sinks: [], store });
    await expect(cp.ready).rejects.toThrow('bad file');
    await expect(cp.listen({ port: 0 })).rejects.toThrow('bad file');
    await cp.close();
    expect(store.saves).toBe(0); // nothing overwritten
  });

  it('mergeDeltas: a pair removed then set again is only set; set then removed is only removed', () => {
    const empty = { exportedAt: 1, pairs: [], removedPairs: [], beacons: [], removedBeacons: [], cooldowns: [], removedCooldowns: [], counters: { a: 1 } };
    const p = { srcIp: '10.0.0.1', dstIp: '10.0.0.2', dstPort: 443, protocol: 6, firstSeen: 1, lastSeen: 2, count: 1, maxFlowSec: 0, longFlows: 0, times: [1], sizes: [1] };
    const key = '10.0.0.1->10.0.0.2:443/TCP';
    const m1 = mergeDeltas({ ...empty, removedPairs: [key] }, { ...empty, exportedAt: 2, pairs: [p], counters: { a: 2 } });
    expect(m1).toMatchObject({ exportedAt: 2, pairs: [p], removedPairs: [], counters: { a: 2 } });
    const m2 = mergeDeltas({ ...empty, pairs: [p] }, { ...empty, removedPairs: [key] });
    expect(m2).toMatchObject({ pairs: [], removedPairs: [key] });
  });
});
