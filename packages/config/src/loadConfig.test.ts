import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError, type ConfigError } from './configError.js';
import { defaultConfig, loadConfig, parseConfig, validateConfig } from './loadConfig.js';

function fail(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills defaults from an empty file', () => {
    const c = parseConfig('');
    expect(c.control_plane.listen_address).toBe('127.0.0.1');
    expect(c.control_plane.listen_port).toBe(9090);
    expect(c.data_plane.ring_buffer_pages).toBe(64);
    expect(c.persistence.db_path).toBe('./beacon_detect.db');
    expect(defaultConfig()).toEqual(c);
  });

  it('names a bad value with its key path and line', () => {
    const e = fail(() => parseConfig('detection:\n  min_connections: 10\n  alert_threshold: "high"\n', 'c.yaml'));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.issues[0]).toMatchObject({ path: 'detection.alert_threshold', line: 3 });
    expect(e.message).toContain('c.yaml:3:');
  });

  it('names an unknown key with its line', () => {
    const e = fail(() => parseConfig('control_plane:\n  listen_port: 9090\n  listen_prot: 1\n'));
    expect(e.issues).toEqual([expect.objectContaining({ path: 'control_plane.listen_prot', line: 3, message: 'unknown key "listen_prot"' })]);
  });

  it('reports YAML syntax errors with a line', () => {
    const e = fail(() => parseConfig('detection:\n  min_connections: [1,\n'));
    expect(e.code).toBe('CONFIG_SYNTAX');
    expect(e.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('accepts both spellings of the original keys', () => {
    const c = parseConfig('alerting:\n  file_enabled: true\n  file_path: /tmp/a.json\nwhitelist:\n  destination_ports: [53]\n  ports: [123]\n');
    expect(c.alerting.file_enabled).toBe(true);
    expect(c.whitelist.destination_ports).toEqual([53]);
    expect(c.whitelist.ports).toEqual([123]);
  });

  it('treats db_path: null as persistence off, not a crash', () => {
    expect(parseConfig('persistence:\n  db_path: null\n').persistence.db_path).toBeNull();
  });
});

describe('validateConfig', () => {
  it('rejects the original\'s accepted nonsense ("min_connections": "abc")', () => {
    const e = fail(() => validateConfig({ detection: { min_connections: 'abc' } }));
    expect(e.issues[0]?.path).toBe('detection.min_connections');
  });
});

describe('loadConfig', () => {
  it('names a missing file', async () => {
    await expect(loadConfig('/nonexistent/beacon.yaml')).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
  it('reads a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beacon-config-'));
    const file = join(dir, 'c.yaml');
    await writeFile(file, 'detection:\n  min_connections: 12\n');
    expect((await loadConfig(file)).detection.min_connections).toBe(12);
  });
});
