import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '@beacon/detector';
import { beaconRowSchema, toBeaconRow } from './beaconRow.js';
import { createHunt } from './createHunt.js';

const T0 = 1_700_000_000;
const ev = (t: number, dst: string, srcPort: number): ConnectionEvent => ({
  tsSec: Math.floor(t), tsNsec: 0, srcIp: '10.0.0.5', dstIp: dst, srcPort, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: 300, packets: 3, tcpFlags: 0x1b, kind: 'flow_start', node: 'test', durationSec: 0.2,
});

describe('the beacon row', () => {
  it('says how sample size limited the score (explanation.evidence), valid against the schema', () => {
    const hunt = createHunt();
    // an exact 3,600 s beacon seen 10 times, and the same seen 40 times at 60 s
    hunt.push([...Array.from({ length: 10 }, (_, i) => ev(T0 + i * 3600, '203.0.113.9', 40_000 + i)), ...Array.from({ length: 40 }, (_, i) => ev(T0 + i * 60, '203.0.113.10', 41_000 + i))]);
    const rows = hunt.finish().map(toBeaconRow);
    const few = rows.find((r) => r.dst_ip === '203.0.113.9')!;
    const many = rows.find((r) => r.dst_ip === '203.0.113.10')!;
    for (const r of [few, many]) expect(beaconRowSchema.safeParse(JSON.parse(JSON.stringify(r))).error?.issues ?? []).toEqual([]);
    expect(few.explanation.evidence).toMatchObject({ intervals: 9, limited: true, uncapped_confidence: 'critical' });
    expect(few.explanation.evidence!.note).toContain('limited by sample size');
    expect(few.combined_score).toBeLessThan(0.8);
    expect(many.explanation.evidence).toMatchObject({ intervals: 39, limited: false, cap: 1 });
    // a row without the field (an item stored by an older version) is still valid
    const old = JSON.parse(JSON.stringify(few)) as { explanation: Record<string, unknown> };
    delete old.explanation.evidence;
    expect(beaconRowSchema.safeParse(old).success).toBe(true);
    // and a wrong one is not
    const bad = JSON.parse(JSON.stringify(few)) as { explanation: { evidence: Record<string, unknown> } };
    bad.explanation.evidence.p_value = 2;
    expect(beaconRowSchema.safeParse(bad).success).toBe(false);
  });
});
