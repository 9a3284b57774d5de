import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DETECTOR_CONFIG, resolveConfig } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './loadConfig.js';
import { toDetectorConfig } from './toDetectorConfig.js';

const shipped = fileURLToPath(new URL('../../../config/config.yaml', import.meta.url));

describe('toDetectorConfig', () => {
  it('the shipped config/config.yaml parses and matches the detector defaults', async () => {
    const config = parseConfig(await readFile(shipped, 'utf8'), 'config/config.yaml');
    expect(resolveConfig(toDetectorConfig(config))).toEqual(resolveConfig(DEFAULT_DETECTOR_CONFIG));
  });

  it('maps every detection key and both port spellings', () => {
    const config = parseConfig(
      [
        'detection: { min_connections: 12, alert_threshold: 0.8, cv_weight: 0.5, max_history: 64 }',
        'control_plane: { data_retention: 100 }',
        'whitelist: { ports: [53], destination_ports: [123, 53], destination_ips: ["10.0.0.0/8"], pairs: ["1.1.1.1:2.2.2.2:443"] }',
        'benign_baseline: { patterns: [{ dst_port: 8883, protocol: tcp, label: AV }] }',
      ].join('\n'),
    );
    const d = resolveConfig(toDetectorConfig(config));
    expect(d).toMatchObject({ minConnections: 12, alertThreshold: 0.8, maxHistory: 64, dataRetention: 100 });
    expect(d.weights.cv).toBe(0.5);
    expect(d.weights.periodicity).toBe(0.35);
    expect([...d.allowlist.destinationPorts].sort((a, b) => a - b)).toEqual([53, 123]);
    expect(d.allowlist.destinationIps).toEqual(['10.0.0.0/8']);
    expect(d.benignBaseline.patterns).toEqual([{ dstPort: 8883, protocol: 6, label: 'AV' }]);
  });

  it('maps address patterns and the multicast switch; a pattern needs a port or addresses', () => {
    const config = parseConfig('benign_baseline:\n  multicast: false\n  patterns:\n    - { dst_ips: ["91.228.164.0/22"], dst_port: 8883, label: ESET }\n');
    const d = resolveConfig(toDetectorConfig(config));
    expect(d.benignBaseline.multicast).toBe(false);
    expect(d.benignBaseline.patterns).toEqual([{ dstIps: ['91.228.164.0/22'], dstPort: 8883, label: 'ESET' }]);
    expect(() => parseConfig('benign_baseline:\n  patterns:\n    - { label: nothing }\n')).toThrow(/benign_baseline.patterns.0: a pattern needs dst_port, dst_ips or server_names/);
  });

  it('leaves unset keys to the detector', () => {
    expect(toDetectorConfig({ detection: {} })).toEqual({});
  });
});
