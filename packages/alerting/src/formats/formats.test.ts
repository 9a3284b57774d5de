import { describe, expect, it } from 'vitest';
import { createAlert } from '../createAlert.js';
import { beaconItem } from '../internal/fixtures.js';
import { ecsProblems } from '../internal/testing/ecsSpec.js';
import { ocsfDetectionFindingProblems } from '../internal/testing/ocsfSpec.js';
import { escapeCefExtension, escapeCefHeader, formatCefMessage } from './formatCef.js';
import { renderAlertJson } from './renderAlertJson.js';
import { toEcsDocument } from './toEcsDocument.js';
import { toOcsfFinding } from './toOcsfFinding.js';

const now = (): number => Date.UTC(2025, 0, 1, 0, 41, 10);
const alert = createAlert(beaconItem(), { now });
const v6 = createAlert(beaconItem({ src_ip: '2001:db8::5', dst_ip: '2001:db8::9', pair_key: '2001:db8::5->[2001:db8::9]:443/TCP', combined_score: 0.95 }), { now });

describe('ECS', () => {
  it('writes an ECS 8.x alert document whose fields all have the ECS types', () => {
    const doc = toEcsDocument(alert, { hostname: 'sensor-1' });
    expect(ecsProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({
      '@timestamp': '2025-01-01T00:41:10.000Z',
      event: { kind: 'alert', category: ['network'], severity: 73, risk_score: 87.4, start: '2025-01-01T00:00:00.000Z', duration: 2460e9 },
      source: { ip: '10.0.0.5' },
      destination: { ip: '203.0.113.9', port: 443 },
      network: { transport: 'tcp', type: 'ipv4' },
      rule: { name: 'Beaconing Detected' },
      threat: { framework: 'MITRE ATT&CK', tactic: { id: ['TA0011'] } },
      observer: { hostname: 'sensor-1' },
      beacon: { alert_id: alert.alert_id, combined_score: 0.874, pair_key: alert.details.pair_key, period_seconds: 60 },
    });
    expect(ecsProblems(toEcsDocument(v6))).toEqual([]);
    expect(toEcsDocument(v6)).toMatchObject({ network: { type: 'ipv6' }, event: { severity: 99 } });
  });

  it('the checker catches what ECS forbids', () => {
    const doc = toEcsDocument(alert) as Record<string, Record<string, unknown>>;
    const broken = { ...doc, source: { ip: 'not-an-ip' }, event: { ...doc.event, kind: 'beacon', severity: 'high' }, extra: 1 };
    expect(ecsProblems(broken)).toEqual([
      'event.kind: "beacon" is not an allowed value',
      'event.severity: "high" is not a valid long',
      'source.ip: "not-an-ip" is not a valid ip',
      'extra: not an ECS field',
    ]);
  });
});

describe('OCSF', () => {
  it('writes a Detection Finding meeting the schema requirements', () => {
    const f = toOcsfFinding(alert);
    expect(ocsfDetectionFindingProblems(f)).toEqual([]);
    expect(f).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 4,
      time: now(),
      finding_info: { uid: alert.alert_id, title: alert.title, first_seen_time: Date.UTC(2025, 0, 1), attacks: [{ tactic: { uid: 'TA0011' } }] },
      evidences: [{ src_endpoint: { ip: '10.0.0.5' }, dst_endpoint: { ip: '203.0.113.9', port: 443 }, connection_info: { protocol_num: 6 } }],
      metadata: { version: '1.3.0', product: { vendor_name: 'Beacon' } },
      unmapped: { beacon: { combined_score: 0.874 } },
    });
    expect((f.observables as unknown[]).length).toBe(3);
    expect(ocsfDetectionFindingProblems(toOcsfFinding(v6))).toEqual([]);
    expect(toOcsfFinding(v6).severity_id).toBe(5);
  });

  it('gives the protocol number of every protocol name a beacon item carries', () => {
    const num = (protocol: string): unknown => (toOcsfFinding(createAlert(beaconItem({ protocol }), { now })).evidences as Array<{ connection_info: Record<string, unknown> }>)[0]?.connection_info;
    expect(num('UDP')).toMatchObject({ protocol_name: 'udp', protocol_num: 17 });
    expect(num('ICMPv6')).toMatchObject({ protocol_name: 'icmpv6', protocol_num: 58 });
    expect(num('47')).toMatchObject({ protocol_num: 47 });
    expect(num('carrier-pigeon')).not.toHaveProperty('protocol_num');
  });

  it('the checker catches missing required attributes and bad enumerations', () => {
    const f = toOcsfFinding(alert);
    const { finding_info: _fi, ...noInfo } = f;
    expect(ocsfDetectionFindingProblems(noInfo)).toContain('finding_info: required');
    expect(ocsfDetectionFindingProblems({ ...f, severity_id: 7, time: '2025' })).toEqual([
      'severity_id: 7 is not in the enumeration',
      'time: "2025" is not a timestamp_t (epoch ms)',
    ]);
    expect(ocsfDetectionFindingProblems({ ...f, observables: [{ name: 'evidences[0].nope', type_id: 2 }] })).toEqual(['observables[].name: evidences[0].nope points at nothing']);
  });
});

/** Splits a CEF record on unescaped pipes and its extension on unescaped `key=` starts, unescaping. */
function parseCef(text: string): { header: string[]; ext: Record<string, string> } {
  const header: string[] = [];
  let cur = '';
  let i = 0;
  for (; i < text.length && header.length < 7; i++) {
    const c = text[i];
    if (c === '\\') cur += text[++i];
    else if (c === '|') {
      header.push(cur);
      cur = '';
    } else cur += c;
  }
  const rest = text.slice(i);
  const ext: Record<string, string> = {};
  const re = /(?:^| )([A-Za-z0-9_]+)=((?:\\.|[^\\])*?)(?= [A-Za-z0-9_]+=|$)/g;
  for (const m of rest.matchAll(re)) ext[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
  return { header, ext };
}

describe('CEF', () => {
  it('escapes header fields and extension values per the spec', () => {
    expect(escapeCefHeader('a|b\\c\nd')).toBe('a\\|b\\\\c d');
    expect(escapeCefExtension('x=1\\2|3\r\nnext')).toBe('x\\=1\\\\2|3\\nnext');
  });

  it('writes CEF:0 with the standard keys, and the fields survive a parse', () => {
    const nasty = createAlert(beaconItem({ pair_key: 'a|b=c\\d', explanation: { ...beaconItem().explanation, summary: 'line one\nline=two' } }), { now });
    const text = formatCefMessage(nasty);
    expect(text.startsWith('CEF:0|Beacon|Beacon|')).toBe(true);
    expect(text).not.toContain('\n');
    const { header, ext } = parseCef(text);
    expect(header).toHaveLength(7);
    expect(header.slice(4)).toEqual(['beacon-periodicity', 'Beaconing Detected', '8']);
    expect(ext).toMatchObject({ src: '10.0.0.5', dst: '203.0.113.9', dpt: '443', proto: 'TCP', cnt: '42', rt: String(now()), cs1Label: 'pairKey', cs1: 'a|b=c\\d', cfp1: '0.874', externalId: nasty.alert_id });
    expect(ext.msg).toBe(nasty.description);
    expect(ext.msg).toContain('line one\nline=two');
    const six = parseCef(formatCefMessage(v6));
    expect(six.header[6]).toBe('10');
    expect(six.ext).toMatchObject({ c6a2: '2001:db8::5', c6a2Label: 'Source IPv6 Address', c6a3: '2001:db8::9' });
    expect(six.ext.src).toBeUndefined();
  });
});

describe('renderAlertJson', () => {
  it('beacon is the alert itself; ecs and ocsf are their documents', () => {
    expect(JSON.parse(renderAlertJson(alert, 'beacon'))).toEqual(alert);
    expect(JSON.parse(renderAlertJson(alert, 'ecs'))).toEqual(toEcsDocument(alert));
    expect(JSON.parse(renderAlertJson(alert, 'ocsf'))).toEqual(toOcsfFinding(alert));
  });
});
