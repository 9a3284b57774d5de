import { describe, expect, it } from 'vitest';
import { ConsoleSink, type LineWriter } from './consoleSink.js';
import { createAlert } from './createAlert.js';
import { beaconItem } from './internal/fixtures.js';
import { MemorySink } from './memorySink.js';

const alert = createAlert(beaconItem(), { now: () => Date.UTC(2025, 0, 1) });

function capture(fail = false): LineWriter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    write(chunk, callback) {
      lines.push(chunk);
      queueMicrotask(() => callback(fail ? new Error('EPIPE') : null));
      return true;
    },
  };
}

describe('ConsoleSink', () => {
  it('writes one plain line per alert', async () => {
    const stream = capture();
    await new ConsoleSink({ stream }).send(alert);
    expect(stream.lines).toEqual([`2025-01-01T00:00:00.000Z HIGH Beaconing Detected: 10.0.0.5 -> 203.0.113.9:443 score=0.874 id=${alert.alert_id}\n`]);
    expect(stream.lines[0]).not.toContain('\u001b');
  });

  it('writes JSON lines on request and reports write errors', async () => {
    const stream = capture();
    await new ConsoleSink({ stream, format: 'json' }).send(alert);
    expect(JSON.parse(stream.lines[0] ?? '')).toEqual(alert);
    await expect(new ConsoleSink({ stream: capture(true) }).send(alert)).rejects.toThrow('EPIPE');
    expect(() => new ConsoleSink({ format: 'xml' as 'json' })).toThrow(/format must be "text" or "json" \(got "xml"\)/);
  });
});

describe('MemorySink', () => {
  it('keeps alerts, bounded when asked, and refuses after close', async () => {
    const sink = new MemorySink({ maxAlerts: 2 });
    for (const score of [0.75, 0.85, 0.95]) await sink.send(createAlert(beaconItem({ combined_score: score })));
    expect(sink.alerts.map((a) => a.severity)).toEqual(['high', 'critical']);
    sink.clear();
    expect(sink.alerts).toEqual([]);
    await sink.close();
    await expect(sink.send(alert)).rejects.toMatchObject({ code: 'SINK_CLOSED', sink: 'memory' });
    expect(() => new MemorySink({ maxAlerts: -1 })).toThrow(/maxAlerts/);
  });
});
