import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { DetectorState } from './detectorState.js';
import { beacon } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

function exported(): DetectorState {
  const d = createDetector({ now: () => T0 + 7200 });
  d.ingestBatch([...beacon(T0, 60, 100, 0.05, 1), ...beacon(T0, 45, 30, 0.3, 2, { srcIp: '2001:db8::1', dstIp: '2001:db8::2' })]);
  d.analyze();
  return d.exportState();
}

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('importState', () => {
  it('restores histories, beacons and cooldowns exactly (bulk copy), trusted or not', () => {
    const state = exported();
    for (const trusted of [false, true]) {
      const e = createDetector({ now: () => T0 + 7200 });
      e.importState(structuredClone(state), { trusted });
      expect(e.exportState()).toEqual(state);
    }
  });

  it('keeps the newest maxHistory events and counts the rest; takes unsorted histories one at a time', () => {
    const state = exported();
    const e = createDetector({ now: () => T0 + 7200, config: { maxHistory: 32 } });
    e.importState(structuredClone(state));
    const pairs = e.exportState().pairs;
    expect(pairs.map((p) => p.times)).toEqual(state.pairs.map((p) => p.times.slice(-32)));
    expect(e.stats().evictions.history).toBe((state.pairs[0]?.times.length ?? 0) - 32 + (state.pairs[1]?.times.length ?? 0) - 30 + (state.counters.historyEvictions ?? 0));
    const shuffled = structuredClone(state);
    const p0 = shuffled.pairs[0];
    if (p0 === undefined) throw new Error('no pair');
    const t = [p0.times[5] as number, p0.times[4] as number];
    p0.times.splice(4, 2, ...t);
    const f = createDetector({ now: () => T0 + 7200, config: { outOfOrderTolerance: 600 } });
    f.importState(shuffled);
    expect(f.exportState().pairs[0]?.times).toEqual(state.pairs[0]?.times);
  });

  it('names the path of a bad value; trusted skips only the address syntax', () => {
    const bad = (edit: (s: DetectorState) => void, trusted = false): string => {
      const s = structuredClone(exported());
      edit(s);
      return messageOf(() => createDetector().importState(s, { trusted }));
    };
    expect(bad((s) => ((s.pairs[1] as { times: unknown[] }).times[3] = -1))).toContain('pairs.1.times.3');
    expect(bad((s) => ((s.pairs[0] as { dstPort: unknown }).dstPort = 70_000))).toContain('pairs.0.dstPort');
    expect(bad((s) => ((s.pairs[1] as { srcIp: unknown }).srcIp = '2001:db8::zz'))).toContain('pairs.1.srcIp');
    expect(bad((s) => ((s.pairs[1] as { srcIp: unknown }).srcIp = '2001:db8::zz'), true)).toBe('no error');
    expect(bad((s) => ((s.pairs[1] as { srcIp: unknown }).srcIp = 7), true)).toContain('pairs.1.srcIp');
    expect(bad((s) => ((s.pairs[0] as { sizes: unknown[] }).sizes.length = 3))).toContain('pairs.0.sizes: times and sizes differ');
    expect(bad((s) => ((s.cooldowns[0] as { score: unknown }).score = 'x'))).toContain('cooldowns.0.score');
  });
});
