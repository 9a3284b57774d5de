import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySink } from '@beacon/alerting';
import { defaultConfig, toDetectorConfig } from '@beacon/config';
import { createPipeline } from '@beacon/server';
import { createHunt } from './createHunt.js';
import { huntFiles } from './huntFiles.js';
import { isHuntError } from './huntError.js';
import { toBeaconRow } from './beaconRow.js';
import { synthTraffic, writeConnLog } from './internal/testing/synthTraffic.js';

const dir = mkdtempSync(join(tmpdir(), 'beacon-hunt-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { events } = synthTraffic({ seed: 4, pairsPerProfile: 3, events: [40, 120], spanSeconds: 8 * 3600, noiseRows: 3000, noisePairs: 400 });
const log = join(dir, 'conn.log');
writeConnLog(log, events);
const firstMs = Math.min(...events.map((e) => e.tsSec)) * 1000;
const lastMs = (Math.max(...events.map((e) => e.tsSec)) + 1) * 1000;

describe('a hunt through the detection pipeline (createPipeline)', () => {
  it('raises one alert per beacon found, delivered to the sinks, timed by the data, with the same detections as a bare hunt', async () => {
    const config = defaultConfig();
    const sink = new MemorySink();
    const bare = await huntFiles([log], { detector: toDetectorConfig(config), workers: 0 });
    const r = await huntFiles([log], { pipeline: (now) => createPipeline(config, { now, sinks: [sink] }), workers: 0 });
    expect(r.scored.map(toBeaconRow)).toEqual(bare.scored.map(toBeaconRow));
    const beacons = r.scored.filter((d) => d.isBeacon);
    expect(beacons.length).toBeGreaterThan(3);
    expect(r.alerts).toBe(sink.alerts.length);
    // every beacon raised its first alert, except those of the benign baseline (NTP here); nothing else did
    const alerting = beacons.filter((d) => d.benignLabel === null);
    expect(alerting.length).toBeLessThan(beacons.length);
    expect(new Set(sink.alerts.map((a) => a.details.pair_key))).toEqual(new Set(alerting.map((d) => d.pairKey)));
    for (const a of sink.alerts) {
      const t = Date.parse(a.timestamp);
      expect(t).toBeGreaterThanOrEqual(firstMs);
      expect(t).toBeLessThanOrEqual(lastMs);
    }
    // huntFiles closed the pipeline: the sink takes nothing more
    await expect(sink.send(sink.alerts[0] as never)).rejects.toThrow(/closed/);
  });

  it('is not sharded (one pipeline sees every pair): workers give the same alerts', async () => {
    const sinks = [new MemorySink(), new MemorySink()];
    const [a, b] = await Promise.all(
      [0, 1].map((workers, i) => huntFiles([log], { pipeline: (now) => createPipeline(defaultConfig(), { now, sinks: [sinks[i] as MemorySink] }), workers, chunkBytes: 64 * 1024 })),
    );
    expect(a?.alerts).toBeGreaterThan(0);
    expect(b?.alerts).toBe(a?.alerts);
    expect(sinks[1]?.alerts.map((x) => x.alert_id).sort()).toEqual(sinks[0]?.alerts.map((x) => x.alert_id).sort());
  });

  it('honours the pipeline configuration: its alert threshold (only pairs at or above it alert) and its alerting switch', async () => {
    const strict = defaultConfig();
    strict.detection.alert_threshold = 0.95;
    const sink = new MemorySink();
    const hunt = createHunt({ pipeline: (now) => createPipeline(strict, { now, sinks: [sink] }), trusted: true });
    for (let i = 0; i < events.length; i += 4096) hunt.push(events.slice(i, i + 4096));
    const scored = hunt.finish();
    await hunt.close();
    expect(hunt.alertsRaised).toBe(sink.alerts.length);
    for (const a of sink.alerts) expect(a.details.combined_score).toBeGreaterThanOrEqual(0.95);
    expect(sink.alerts.length).toBeGreaterThan(0);
    expect(sink.alerts.length).toBe(scored.filter((d) => d.isBeacon && d.benignLabel === null).length);

    const off = defaultConfig();
    off.alerting.enabled = false;
    const quiet = new MemorySink();
    const muted = createHunt({ pipeline: (now) => createPipeline(off, { now, sinks: [quiet] }), trusted: true });
    muted.push(events);
    muted.finish();
    await muted.close();
    expect(muted.alertsRaised).toBeGreaterThan(0); // raised, not delivered
    expect(quiet.alerts).toHaveLength(0);
  });

  it('refuses detector settings beside a pipeline, naming both', () => {
    let error: unknown;
    try {
      createHunt({ detector: { alertThreshold: 0.9 }, pipeline: (now) => createPipeline(defaultConfig(), { now, sinks: [] }) });
    } catch (e) {
      error = e;
    }
    expect(isHuntError(error) && error.code).toBe('INVALID_OPTION');
    expect(String((error as Error).message)).toMatch(/detector.*pipeline/);
  });
});
