import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { AlertDispatcher } from './alertDispatcher.js';
import type { AlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';
import { createAlert } from './createAlert.js';
import { beaconItem } from './internal/fixtures.js';
import { MemorySink } from './memorySink.js';

const alert = (i: number, score = 0.85): Alert =>
  createAlert(beaconItem({ pair_key: `pair-${i}`, combined_score: score }), { now: () => 1_735_689_600_000 + i });

/** A sink whose sends wait until `open()` is called. */
function gatedSink(name = 'gated'): AlertSink & { open: () => void; got: Alert[]; closed: boolean } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sink = {
    name,
    got: [] as Alert[],
    closed: false,
    open: () => release(),
    async send(a: Alert) {
      await gate;
      sink.got.push(a);
    },
    async close() {
      sink.closed = true;
    },
  };
  return sink;
}

const failing = (name = 'broken'): AlertSink => ({
  name,
  send: async () => {
    throw new Error('disk on fire');
  },
  close: async () => undefined,
});

describe('AlertDispatcher', () => {
  it('delivers to every sink and never counts a failure as sent', async () => {
    const memory = new MemorySink();
    const dispatcher = new AlertDispatcher({ sinks: [failing(), memory] });
    const failures: Array<[string, AlertingError]> = [];
    const sent: string[] = [];
    dispatcher.on('failed', (_a, sink, err) => failures.push([sink, err]));
    dispatcher.on('sent', (a, sink) => sent.push(`${sink}:${a.details.pair_key}`));
    for (let i = 0; i < 3; i += 1) expect(dispatcher.enqueue(alert(i))).toBe(true);
    await dispatcher.flush();
    expect(memory.alerts.map((a) => a.details.pair_key)).toEqual(['pair-0', 'pair-1', 'pair-2']);
    expect(sent).toEqual(['memory:pair-0', 'memory:pair-1', 'memory:pair-2']);
    expect(failures).toHaveLength(3);
    expect(failures[0]?.[1]).toMatchObject({ name: 'AlertingError', code: 'DELIVERY_FAILED', sink: 'broken' });
    expect(failures[0]?.[1].message).toContain('disk on fire');
    const stats = dispatcher.stats();
    expect(stats).toMatchObject({ alerts_sent: 0, alerts_failed: 3, queue_size: 0, drops: 0 });
    expect(stats.sinks).toEqual({ broken: { sent: 0, failed: 3, skipped: 0, pending: 0 }, memory: { sent: 3, failed: 0, skipped: 0, pending: 0 } });
    expect(stats.alerts_by_severity).toEqual({ info: 0, low: 0, medium: 0, high: 3, critical: 0 });
  });

  it('keeps delivering to fast sinks while a slow one is stuck', async () => {
    const slow = gatedSink('slow');
    const memory = new MemorySink();
    const dispatcher = new AlertDispatcher({ sinks: [slow, memory] });
    for (let i = 0; i < 4; i += 1) dispatcher.enqueue(alert(i));
    await new Promise((r) => setTimeout(r, 10));
    expect(memory.alerts).toHaveLength(4);
    expect(slow.got).toHaveLength(0);
    expect(dispatcher.stats()).toMatchObject({ queue_size: 4, sinks: { slow: { pending: 4 }, memory: { pending: 0, sent: 4 } } });
    slow.open();
    await dispatcher.flush();
    expect(slow.got.map((a) => a.details.pair_key)).toEqual(['pair-0', 'pair-1', 'pair-2', 'pair-3']);
    expect(dispatcher.stats()).toMatchObject({ queue_size: 0, alerts_sent: 4 });
  });

  it('bounds the queue: fill, backpressure at 80 %, drops counted', () => {
    const slow = gatedSink();
    const dispatcher = new AlertDispatcher({ sinks: [slow], queueSize: 5 });
    const dropped: string[] = [];
    dispatcher.on('dropped', (_a, reason) => dropped.push(reason));
    for (let i = 0; i < 3; i += 1) dispatcher.enqueue(alert(i));
    expect(dispatcher.stats()).toMatchObject({ queue_size: 3, fill_percent: 60, backpressure: false });
    dispatcher.enqueue(alert(3));
    expect(dispatcher.stats()).toMatchObject({ queue_size: 4, fill_percent: 80, backpressure: true });
    expect(dispatcher.enqueue(alert(4))).toBe(true);
    expect(dispatcher.enqueue(alert(5))).toBe(false);
    expect(dispatcher.enqueue(alert(6))).toBe(false);
    expect(dispatcher.stats()).toMatchObject({ queue_size: 5, queue_capacity: 5, fill_percent: 100, drops: 2 });
    expect(dropped).toEqual(['queue_full', 'queue_full']);
    slow.open();
  });

  it('never throws from enqueue: bad input and a closed dispatcher are drops', async () => {
    const dispatcher = new AlertDispatcher({ sinks: [new MemorySink()] });
    const reasons: string[] = [];
    dispatcher.on('dropped', (_a, r) => reasons.push(r));
    expect(dispatcher.enqueue(null as unknown as Alert)).toBe(false);
    expect(dispatcher.enqueue({ severity: 'urgent' } as unknown as Alert)).toBe(false);
    await dispatcher.close();
    expect(dispatcher.enqueue(alert(1))).toBe(false);
    expect(reasons).toEqual(['invalid', 'invalid', 'closed']);
    expect(dispatcher.stats().drops).toBe(3);
  });

  it('fails a delivery that exceeds sendTimeoutMs and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const hung: AlertSink = { name: 'hung', send: (_a, signal) => { seen = signal; return new Promise(() => undefined); }, close: async () => undefined };
    const dispatcher = new AlertDispatcher({ sinks: [hung], sendTimeoutMs: 30 });
    const codes: string[] = [];
    dispatcher.on('failed', (_a, _s, err) => codes.push(err.code));
    dispatcher.enqueue(alert(1));
    await dispatcher.flush();
    expect(codes).toEqual(['TIMEOUT']);
    expect(seen?.aborted).toBe(true);
    expect(dispatcher.stats()).toMatchObject({ alerts_failed: 1, sinks: { hung: { failed: 1 } } });
  });

  it('counts a synchronous throw as a failure and honours accepts()', async () => {
    const sync: AlertSink = { name: 'sync', send: () => { throw new Error('sync boom'); }, close: async () => undefined };
    const picky = Object.assign(new MemorySink({ name: 'picky' }), { accepts: (a: Alert) => a.severity === 'critical' });
    const dispatcher = new AlertDispatcher({ sinks: [sync, picky] });
    dispatcher.enqueue(alert(1, 0.95));
    dispatcher.enqueue(alert(2, 0.5));
    await dispatcher.flush();
    expect(dispatcher.stats().sinks).toMatchObject({ sync: { failed: 2 }, picky: { sent: 1, skipped: 1 } });
  });

  it('close() delivers what is queued, then closes every sink, reporting close errors', async () => {
    const slow = gatedSink();
    const badClose: AlertSink = { name: 'bad-close', send: async () => undefined, close: async () => { throw new Error('nope'); } };
    const dispatcher = new AlertDispatcher({ sinks: [slow, badClose] });
    const sinkErrors: string[] = [];
    dispatcher.on('sinkError', (name, err) => sinkErrors.push(`${name}:${err.code}`));
    dispatcher.enqueue(alert(1));
    dispatcher.enqueue(alert(2));
    const closing = dispatcher.close();
    expect(dispatcher.close()).toBe(closing);
    setTimeout(() => slow.open(), 10);
    await closing;
    expect(slow.got).toHaveLength(2);
    expect(slow.closed).toBe(true);
    expect(sinkErrors).toEqual(['bad-close:DELIVERY_FAILED']);
  });

  it('survives a throwing listener and counts it', async () => {
    const memory = new MemorySink();
    const dispatcher = new AlertDispatcher({ sinks: [memory] });
    dispatcher.on('sent', () => {
      throw new Error('listener bug');
    });
    dispatcher.enqueue(alert(1));
    dispatcher.enqueue(alert(2));
    await dispatcher.flush();
    expect(memory.alerts).toHaveLength(2);
    expect(dispatcher.stats()).toMatchObject({ alerts_sent: 2, listener_errors: 2 });
  });

  it('lists recent alerts newest first, filtering before limiting', async () => {
    const dispatcher = new AlertDispatcher({ sinks: [], recentSize: 5 });
    dispatcher.restoreRecent([alert(100, 0.95)]);
    for (let i = 0; i < 6; i += 1) dispatcher.enqueue(alert(i, i % 2 === 0 ? 0.95 : 0.75));
    // 7 alerts seen, the ring keeps the newest 5: 1..5
    expect(dispatcher.recent({ limit: 10 }).map((a) => a.details.pair_key)).toEqual(['pair-5', 'pair-4', 'pair-3', 'pair-2', 'pair-1']);
    expect(dispatcher.recent({ severity: 'critical', limit: 2 }).map((a) => a.details.pair_key)).toEqual(['pair-4', 'pair-2']);
    expect(dispatcher.recent({ severity: 'medium', limit: 1 }).map((a) => a.details.pair_key)).toEqual(['pair-5']);
    expect(() => dispatcher.recent({ limit: -1 })).toThrow(/limit must be an integer >= 0/);
    expect(() => dispatcher.recent({ severity: 'urgent' as 'low' })).toThrow(/severity must be one of/);
    await dispatcher.flush();
    expect(dispatcher.stats()).toMatchObject({ alerts_sent: 0, alerts_failed: 0, queue_size: 0, recent_alerts_count: 5 });
    dispatcher.clearRecent();
    expect(dispatcher.recent()).toEqual([]);
  });

  it('saves its counters as a flat map and continues from them after a restart', async () => {
    const first = new AlertDispatcher({ sinks: [new MemorySink({ name: 'memory' }), failing()] });
    first.enqueue(alert(1, 0.95));
    first.enqueue(alert(2, 0.75));
    await first.flush();
    const saved = first.counters();
    expect(saved).toMatchObject({ alerts_sent: 0, alerts_failed: 2, 'sinks.memory.sent': 2, 'sinks.broken.failed': 2 });
    const bySeverity = Object.entries(saved).filter(([k, v]) => k.startsWith('alerts_by_severity.') && v > 0);
    expect(bySeverity).toHaveLength(2);

    const memory = new MemorySink({ name: 'memory' });
    const second = new AlertDispatcher({ sinks: [memory] });
    expect(second.restoreCounters(saved)).toEqual(['sinks.broken.sent', 'sinks.broken.failed', 'sinks.broken.skipped']);
    second.enqueue(alert(3, 0.95));
    await second.flush();
    const s = second.stats();
    expect(s.alerts_sent).toBe(1);
    expect(s.alerts_failed).toBe(2);
    expect(s.sinks.memory?.sent).toBe(3);
    expect(Object.values(s.alerts_by_severity).reduce((a, b) => a + b, 0)).toBe(3);

    expect(() => second.restoreCounters({ alerts_sent: 1, drops: -1 })).toThrow(/drops must be a non-negative integer/);
    expect(second.stats().alerts_sent).toBe(1); // nothing applied from the refused map
  });

  it('rejects bad options by name', () => {
    expect(() => new AlertDispatcher({ sinks: [new MemorySink(), new MemorySink()] })).toThrow(/two sinks are named "memory"/);
    expect(() => new AlertDispatcher({ sinks: [{ name: 'x' } as AlertSink] })).toThrow(/sinks\[0\] is not an AlertSink/);
    expect(() => new AlertDispatcher({ sinks: [], queueSize: 0 })).toThrow(/queueSize must be an integer >= 1 \(got 0\)/);
    expect(() => new AlertDispatcher({ sinks: [], concurrency: 1.5 })).toThrow(/concurrency/);
  });
});
