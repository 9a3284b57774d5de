import { describe, expect, it } from 'vitest';
import { EveTimeParser, type EveTime } from './eveTime.js';

const at = (p: EveTimeParser, text: string): EveTime | false => {
  const out: EveTime = { sec: 0, nsec: 0 };
  return p.parse(text, out) ? { ...out } : false;
};

describe('EVE time', () => {
  it('reads every form Suricata writes, exactly, from text and from the bytes of a line', () => {
    const p = new EveTimeParser();
    const base = Date.UTC(2024, 2, 1, 12, 0, 5) / 1000;
    expect(at(p, '2024-03-01T12:00:05.123456+0000')).toEqual({ sec: base, nsec: 123_456_000 });
    expect(at(p, '2024-03-01T12:00:05Z')).toEqual({ sec: base, nsec: 0 });
    expect(at(p, '2024-03-01T12:00:05.5+01:00')).toEqual({ sec: base - 3600, nsec: 500_000_000 });
    expect(at(p, '2024-03-01T12:00:05.123456789123-0230')).toEqual({ sec: base + 9000, nsec: 123_456_789 });
    expect(at(p, '2024-03-02T00:00:00.000001+0000')).toEqual({ sec: Date.UTC(2024, 2, 2) / 1000, nsec: 1000 });
    // The same text inside a line, read in place.
    const line = Buffer.from('{"start":"2024-03-01T12:00:05.25+0000","x":1}');
    const out: EveTime = { sec: 0, nsec: 0 };
    expect(p.parseBytes(line, 10, line.indexOf('"', 10), out)).toBe(true);
    expect(out).toEqual({ sec: base, nsec: 250_000_000 });
  });

  it('refuses what is not a time, whatever day it cached before', () => {
    const p = new EveTimeParser();
    expect(at(p, '2024-03-01T12:00:05+0000')).not.toBe(false);
    for (const bad of ['2024-02-30T12:00:05+0000', '2024-03-01 12:00:05+0000', '2024-03-01T24:00:05+0000', '2024-03-01T12:00:05.+0000', '2024-03-01T12:00:05+01', '2024-03-01T12:00:05.1é', '2024-03-01T12:0０:05', '', 'x'.repeat(40)]) {
      expect(at(p, bad), bad).toBe(false);
    }
    expect(p.parse(12, { sec: 0, nsec: 0 })).toBe(false);
  });
});
