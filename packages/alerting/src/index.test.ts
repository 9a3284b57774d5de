import { describe, expect, expectTypeOf, it } from 'vitest';
import * as api from './index.js';
import type { Alert, AlertSink, DispatcherEvents } from './index.js';

describe('public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ALERT_FORMATS', 'ALERT_SEVERITIES', 'AlertDispatcher', 'AlertingError', 'Backoff', 'ConsoleSink', 'ECS_VERSION', 'FileSink', 'MemorySink',
      'OCSF_VERSION', 'SyslogSink', 'WebhookSink', 'createAlert', 'createSinksFromConfig', 'escapeCefExtension', 'escapeCefHeader', 'escapeSdValue',
      'formatAlertText', 'formatCefMessage', 'formatConsoleLine', 'formatSyslogMessage', 'isAlertSeverity', 'isAlertingError',
      'renderAlertJson', 'severityFromScore', 'severityRank', 'signWebhookPayload', 'sleep', 'syslogFacilityCode', 'syslogSeverity',
      'toEcsDocument', 'toOcsfFinding', 'verifyWebhookSignature',
    ]);
  });

  it('keeps the sink and event types stable', () => {
    expectTypeOf<AlertSink['send']>().toEqualTypeOf<(alert: Alert, signal?: AbortSignal) => Promise<void>>();
    expectTypeOf<Parameters<DispatcherEvents['failed']>>().toEqualTypeOf<[alert: Alert, sink: string, error: api.AlertingError]>();
    expectTypeOf<api.MemorySink>().toMatchTypeOf<AlertSink>();
    expectTypeOf<api.FileSink>().toMatchTypeOf<AlertSink>();
    expectTypeOf<api.WebhookSink>().toMatchTypeOf<AlertSink>();
    expectTypeOf<api.SyslogSink>().toMatchTypeOf<AlertSink>();
    expectTypeOf<api.ConsoleSink>().toMatchTypeOf<AlertSink>();
  });

  it('guards errors by name and code, not instanceof', () => {
    const err = new api.AlertingError('TIMEOUT', 'slow', { sink: 's' });
    expect(api.isAlertingError(err)).toBe(true);
    expect(api.isAlertingError({ name: 'AlertingError', code: 'TIMEOUT' })).toBe(true);
    expect(api.isAlertingError({ name: 'AlertingError', code: 'NOPE' })).toBe(false);
    expect(api.isAlertingError(new Error('x'))).toBe(false);
    expect(new api.AlertingError('DELIVERY_FAILED', 'x', { cause: err }).cause).toBe(err);
  });
});
