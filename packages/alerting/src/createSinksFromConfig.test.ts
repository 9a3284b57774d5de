import { describe, expect, it } from 'vitest';
import { createSinksFromConfig } from './createSinksFromConfig.js';
import type { FileSink } from './fileSink.js';
import { createAlert } from './createAlert.js';
import { beaconItem } from './internal/fixtures.js';
import { SyslogSink } from './syslogSink.js';
import { WebhookSink } from './webhookSink.js';

describe('createSinksFromConfig', () => {
  it('follows the original defaults: syslog and file on, webhook off', () => {
    const sinks = createSinksFromConfig({});
    expect(sinks.map((s) => s.name)).toEqual(['syslog', 'file']);
    expect(sinks[0]).toBeInstanceOf(SyslogSink);
    expect((sinks[1] as FileSink).path).toBe('/var/log/beacon-detect/alerts.json');
  });

  it('returns nothing when alerting is disabled', () => {
    expect(createSinksFromConfig({ enabled: false, webhook: { enabled: true, url: 'http://127.0.0.1:1/' } })).toEqual([]);
  });

  it('accepts the flat spellings, nested ones winning', () => {
    const sinks = createSinksFromConfig({ syslog_enabled: false, file_path: '/tmp/flat.json', webhook_enabled: true, webhook_url: 'http://127.0.0.1:9/hook' });
    expect(sinks.map((s) => s.name)).toEqual(['file', 'webhook']);
    expect((sinks[0] as FileSink).path).toBe('/tmp/flat.json');
    expect(sinks[1]).toBeInstanceOf(WebhookSink);
    const nested = createSinksFromConfig({ syslog_enabled: true, syslog: { enabled: false }, file: { enabled: false }, file_enabled: true });
    expect(nested).toEqual([]);
  });

  it('maps the syslog level to a severity filter', () => {
    const [sink] = createSinksFromConfig({ file: { enabled: false }, syslog: { level: 'ERROR', facility: 'local5' } }) as [SyslogSink];
    expect(sink.accepts(createAlert(beaconItem({ combined_score: 0.85 })))).toBe(true);
    expect(sink.accepts(createAlert(beaconItem({ combined_score: 0.75 })))).toBe(false);
  });

  it('names the key at fault', () => {
    expect(() => createSinksFromConfig({ webhook: { enabled: true } })).toThrow(/alerting\.webhook\.url is required/);
    expect(() => createSinksFromConfig({ webhook: { enabled: true, url: 'nope' } })).toThrow(/^alerting\.webhook: WebhookSink "webhook": url must be/);
    expect(() => createSinksFromConfig({ syslog: { level: 'LOUD' } })).toThrow(/alerting\.syslog\.level must be/);
    expect(() => createSinksFromConfig({ syslog: { facility: 'local9' as 'local0' } })).toThrow(/^alerting\.syslog: .*facility/);
    expect(() => createSinksFromConfig({ syslog: { ca_file: '/nonexistent/ca.pem' } })).toThrow(/alerting\.syslog\.ca_file: cannot read/);
    expect(() => createSinksFromConfig({ file: { max_size_mb: -1 } })).toThrow(/alerting\.file\.max_size_mb/);
    expect(() => createSinksFromConfig({ syslog: { enabled: false }, file: { backup_count: -2 } })).toThrow(/alerting\.file: .*backupCount/);
  });
});
