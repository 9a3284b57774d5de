import { describe, expect, it } from 'vitest';
import { createAlert } from './createAlert.js';
import { escapeSdValue, formatAlertText, formatSyslogMessage, syslogFacilityCode } from './formatSyslog.js';
import { beaconItem } from './internal/fixtures.js';

const now = (): number => Date.UTC(2025, 0, 1, 0, 41, 10);

describe('formatSyslogMessage', () => {
  it('writes an RFC 5424 header, structured data and the original text', () => {
    const alert = createAlert(beaconItem(), { now });
    const msg = formatSyslogMessage(alert, { hostname: 'sensor 1', procId: 4242 });
    // local0 (16) * 8 + ERROR (3) = 131
    expect(msg.startsWith('<131>1 2025-01-01T00:41:10.000Z sensor_1 beacon-detect 4242 BEACON [beacon@32473 ')).toBe(true);
    expect(msg).toContain(' pair="10.0.0.5:203.0.113.9:443:TCP" ');
    expect(msg).toContain(' score="0.874" severity="high" period="60.0" count="42" ');
    expect(msg).toContain('] [ERROR] Beaconing Detected: 10.0.0.5 -> 203.0.113.9:443 | beacon_detector | beacon-');
    expect(msg.endsWith('| Signals: cv=0.99(w=0.35),periodicity=0.97(w=0.35),jitter=0.50(w=0.15),size=0.60(w=0.15)')).toBe(true);
  });

  it('maps severities and facilities to PRI', () => {
    const pri = (score: number, facility: 'local0' | 'local7' | number = 'local0'): string =>
      formatSyslogMessage(createAlert(beaconItem({ combined_score: score }), { now }), { facility }).split('>')[0] ?? '';
    expect(pri(0.95)).toBe('<130'); // CRITICAL 2
    expect(pri(0.75)).toBe('<132'); // WARNING 4
    expect(pri(0.4)).toBe('<132');
    expect(pri(0.1)).toBe('<134'); // INFO 6
    expect(pri(0.95, 'local7')).toBe('<186');
    expect(pri(0.95, 1)).toBe('<10');
  });

  it('escapes quote, backslash and bracket in SD values', () => {
    expect(escapeSdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
    const alert = createAlert(beaconItem({ pair_key: 'x"]\\y' }), { now });
    expect(formatSyslogMessage(alert)).toContain('pair="x\\"\\]\\\\y"');
  });

  it('rejects an unknown facility by name', () => {
    expect(() => syslogFacilityCode('local9' as 'local0')).toThrow(/facility must be one of .*local9/);
    expect(() => syslogFacilityCode(24)).toThrow(/got 24/);
  });

  it('formats the text like the original', () => {
    const alert = createAlert(beaconItem({ combined_score: 0.2 }), { now });
    expect(formatAlertText(alert)).toMatch(/^\[INFO\] Beaconing Detected: .* \| beacon_detector \| beacon-.* \| Potential beaconing/);
  });
});
