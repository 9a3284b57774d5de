import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError, type ConfigError } from './configError.js';
import { loadConfig, parseConfig, validateConfig } from './loadConfig.js';
import { MAX_CONFIG_BYTES, MAX_LIST_LENGTH } from './limits.js';

// Regression tests for the hostile-configuration defects of issue 17 (5, 6 and 13).
function fail(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration limits', () => {
  it('defect 5: every timer interval is bounded (1 s to 2^31 ms), in YAML and through validateConfig', () => {
    for (const [yaml, path] of [
      ['detection: { analysis_interval: 3000000 }', 'detection.analysis_interval'],
      ['detection: { analysis_interval: 1e-9 }', 'detection.analysis_interval'],
      ['persistence: { flush_interval: 3000000 }', 'persistence.flush_interval'],
      ['persistence: { flush_interval: 0.001 }', 'persistence.flush_interval'],
      ['control_plane: { cleanup_interval: 1e12 }', 'control_plane.cleanup_interval'],
      ['data_plane: { export_interval: 1e10 }', 'data_plane.export_interval'],
      ['data_plane: { connection_timeout: 1e10 }', 'data_plane.connection_timeout'],
      ['alerting: { webhook: { timeout: 1e10 } }', 'alerting.webhook.timeout'],
    ] as const) {
      const e = fail(() => parseConfig(yaml));
      expect(e.issues[0]?.path, yaml).toBe(path);
      expect(e.issues[0]?.message, yaml).toMatch(/seconds/);
    }
    expect(fail(() => validateConfig({ detection: { analysis_interval: 3_000_000 } })).issues[0]?.path).toBe('detection.analysis_interval');
    expect(parseConfig('detection: { analysis_interval: 2147483 }').detection.analysis_interval).toBe(2_147_483);
  });

  it('defect 6: weights whose sum overflows are refused with a named error', () => {
    const e = fail(() => parseConfig('detection: { cv_weight: 1e308, periodicity_weight: 1e308 }'));
    expect(e.issues[0]?.path).toBe('detection');
    expect(e.issues[0]?.message).toMatch(/weights/);
    expect(fail(() => parseConfig('detection: { cv_weight: .inf }')).issues[0]?.path).toBe('detection.cv_weight');
  });

  it('defect 13: list lengths, max_body_bytes and the file size are bounded', async () => {
    const many = Array.from({ length: MAX_LIST_LENGTH + 1 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const e = fail(() => validateConfig({ whitelist: { destination_ips: many } }));
    expect(e.issues[0]?.path).toBe('whitelist.destination_ips');
    expect(fail(() => parseConfig('control_plane: { max_body_bytes: 1e15 }')).issues[0]?.path).toBe('control_plane.max_body_bytes');
    expect(fail(() => parseConfig('x'.repeat(MAX_CONFIG_BYTES + 1))).issues[0]?.path).toBe('(file)');
    const dir = await mkdtemp(join(tmpdir(), 'beacon-config-'));
    try {
      const file = join(dir, 'huge.yaml');
      await writeFile(file, '');
      await truncate(file, 100 * 1024 * 1024); // sparse: 100 MB that costs no disk
      const err = await loadConfig(file).then(
        () => null,
        (x: unknown) => x as ConfigError,
      );
      expect(err?.code).toBe('CONFIG_INVALID');
      expect(err?.message).toMatch(/larger than/); // refused before reading a byte of it
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an alias to an anchor that is not set, and an alias bomb, are syntax errors (found by the fuzz suite)', () => {
    const e = fail(() => parseConfig('whitelist:\n  ports: [*53, 123]\n'));
    expect(e.code).toBe('CONFIG_SYNTAX');
    expect(e.issues[0]?.message).toMatch(/alias/i);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(fail(() => parseConfig(bomb)).code).toBe('CONFIG_SYNTAX');
  });
});
