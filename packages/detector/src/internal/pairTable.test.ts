import { describe, expect, it } from 'vitest';
import { PairTable } from './pairTable.js';

describe('PairTable index', () => {
  it('finds and removes pairs of sources with few and many destinations', () => {
    const t = new PairTable(8, 1000);
    const made = [];
    for (let d = 0; d < 20; d++) for (const port of [80, 443]) made.push(t.create(`k${d}/${port}`, '10.0.0.1', `192.0.2.${d}`, port, 6, null));
    made.push(t.create('small', '10.0.0.2', '192.0.2.1', 443, 6, null));
    for (const p of made) expect(t.find(p.srcIp, p.dstIp, p.dstPort, p.protocol)).toBe(p);
    expect(t.find('10.0.0.1', '192.0.2.1', 443, 17)).toBeUndefined();
    expect(t.find('10.0.0.2', '192.0.2.2', 443, 6)).toBeUndefined();
    expect(t.find('10.0.0.3', '192.0.2.1', 443, 6)).toBeUndefined();
    for (let i = 0; i < made.length; i += 3) t.remove(made[i]!);
    made.forEach((p, i) => expect(t.find(p.srcIp, p.dstIp, p.dstPort, p.protocol)).toBe(i % 3 === 0 ? undefined : p));
    for (const p of made) t.remove(p);
    expect(t.size).toBe(0);
    const again = t.create('again', '10.0.0.1', '192.0.2.1', 443, 6, null);
    expect(t.find('10.0.0.1', '192.0.2.1', 443, 6)).toBe(again);
  });
});
