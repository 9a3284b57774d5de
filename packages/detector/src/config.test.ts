import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG } from './config.js';
import { detectorConfigSchema } from './configSchema.js';
import { createDetector } from './detector.js';
import { isDetectorError } from './detectorError.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('config', () => {
  it('fills the defaults, NTP baseline included', () => {
    const cfg = detectorConfigSchema.parse({});
    expect(cfg.minConnections).toBe(10);
    expect(cfg.alertThreshold).toBe(0.7);
    expect(cfg.minDuration).toBe(3600);
    expect(cfg.benignBaseline.patterns).toEqual([{ dstPort: 123, protocol: 17, label: 'NTP' }]);
    expect(cfg).toEqual(DEFAULT_DETECTOR_CONFIG);
  });

  it('names the bad key, and rejects unknown keys', () => {
    const e = errorOf(() => createDetector({ config: { minConnections: 'abc' as unknown as number } }));
    expect(isDetectorError(e) && e.code).toBe('INVALID_CONFIG');
    expect(e.message).toContain('minConnections');
    expect(errorOf(() => createDetector({ config: { nope: 1 } as never })).message).toContain('nope');
    expect(errorOf(() => createDetector({ config: { allowlist: { destinationIps: ['10.0.0.0/33'] } } })).message).toContain('allowlist.destinationIps.0');
    expect(errorOf(() => createDetector({ config: { minBeaconInterval: 10, maxBeaconInterval: 5 } })).message).toContain('minBeaconInterval');
  });

  it('updateConfig validates and leaves the config unchanged on error', () => {
    const d = createDetector();
    expect(() => d.updateConfig({ weights: { cv: -1 } })).toThrow(/weights\.cv/);
    expect(d.config.weights.cv).toBe(0.35);
    expect(d.updateConfig({ weights: { cv: 0.5 }, benignBaseline: { patterns: [{ dstPort: 8530, protocol: 'tcp', label: 'WSUS' }] } }).weights).toEqual({ cv: 0.5, periodicity: 0.35, jitter: 0.15, size: 0.15 });
    expect(d.config.benignBaseline.patterns).toEqual([{ dstPort: 8530, protocol: 6, label: 'WSUS' }]);
  });
});
