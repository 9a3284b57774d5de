import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { DetectorState, PairHistory, PairSnapshot } from './detectorState.js';
import { beacon } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

function exported(): DetectorState {
  const d = createDetector({ now: () => T0 + 7200 });
  d.ingestBatch([...beacon(T0, 60, 100, 0.05, 1), ...beacon(T0, 45, 30, 0.3, 2, { srcIp: '2001:db8::1', dstIp: '2001:db8::2' })]);
  d.analyze();
  return d.exportState();
}

/**
 * The state with every pair's history in typed form, all pairs sharing one pair of arrays
 * (times relative to each pair's first event), and `times`/`sizes` emptied: they are not read.
 */
function typed(state: DetectorState): DetectorState {
  const total = state.pairs.reduce((n, p) => n + p.times.length, 0);
  const times = new Uint32Array(total + 3);
  const sizes = new Uint32Array(total + 3);
  let at = 3; // not at 0, so `start` matters
  const pairs = state.pairs.map((p): PairSnapshot => {
    const baseMs = Math.round((p.times[0] ?? 0) * 1000);
    p.times.forEach((t, i) => {
      times[at + i] = Math.round(t * 1000) - baseMs;
      sizes[at + i] = p.sizes[i] as number;
    });
    const history: PairHistory = { baseMs, times, sizes, start: at, length: p.times.length };
    at += p.times.length;
    return { ...p, times: [], sizes: [], history };
  });
  return { ...state, pairs };
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

  it('imports typed histories (PairHistory) exactly as their plain form, trusted or not', () => {
    const state = exported();
    for (const trusted of [false, true]) {
      const e = createDetector({ now: () => T0 + 7200 });
      e.importState(typed(state), { trusted });
      expect(e.exportState()).toEqual(state);
      expect(e.exportDelta().pairs).toHaveLength(0);
    }
    // One pair on its own arrays, start and length left to their defaults.
    const one = structuredClone(state);
    const p = one.pairs[0] as PairSnapshot;
    const baseMs = 1_000 * T0;
    p.history = { baseMs, times: Uint32Array.from(p.times, (t) => Math.round(t * 1000) - baseMs), sizes: Uint32Array.from(p.sizes) };
    p.times = [];
    const f = createDetector({ now: () => T0 + 7200 });
    f.importState(one);
    expect(f.exportState().pairs[0]?.times).toEqual(state.pairs[0]?.times);
  });

  it('keeps the newest maxHistory events of a typed history; takes unsorted ones one at a time', () => {
    const state = exported();
    const e = createDetector({ now: () => T0 + 7200, config: { maxHistory: 32 } });
    e.importState(typed(state));
    expect(e.exportState().pairs.map((p) => p.times)).toEqual(state.pairs.map((p) => p.times.slice(-32)));
    expect(e.stats().evictions.history).toBe((state.pairs[0]?.times.length ?? 0) - 32 + (state.pairs[1]?.times.length ?? 0) - 30 + (state.counters.historyEvictions ?? 0));
    const shuffled = typed(state);
    const h = shuffled.pairs[0]?.history as Required<PairHistory>;
    const [a, b] = [h.times[h.start + 4] as number, h.times[h.start + 5] as number];
    h.times[h.start + 4] = b;
    h.times[h.start + 5] = a;
    const f = createDetector({ now: () => T0 + 7200, config: { outOfOrderTolerance: 600 } });
    f.importState(shuffled);
    expect(f.exportState().pairs[0]?.times).toEqual(state.pairs[0]?.times);
  });

  it('names the path of a bad typed history, trusted or not', () => {
    const bad = (edit: (h: Record<string, unknown>) => void, trusted = false): string => {
      const s = typed(exported());
      edit(s.pairs[1]?.history as unknown as Record<string, unknown>);
      return messageOf(() => createDetector().importState(s, { trusted }));
    };
    for (const trusted of [false, true]) {
      expect(bad((h) => (h.times = [1, 2, 3]), trusted)).toContain('pairs.1.history.times: expected a Uint32Array, got Array');
      expect(bad((h) => (h.sizes = new Float64Array(4)), trusted)).toContain('pairs.1.history.sizes: expected a Uint32Array, got Float64Array');
      expect(bad((h) => (h.baseMs = -1), trusted)).toContain('pairs.1.history.baseMs');
      expect(bad((h) => (h.baseMs = 1.5), trusted)).toContain('pairs.1.history.baseMs');
      expect(bad((h) => (h.start = (h.times as Uint32Array).length + 1), trusted)).toContain('pairs.1.history.start');
      expect(bad((h) => (h.length = (h.times as Uint32Array).length), trusted)).toContain('pairs.1.history.length');
      expect(bad((h) => (h.sizes = new Uint32Array(4)), trusted)).toContain('pairs.1.history.sizes: holds 4 entries');
    }
    const s = typed(exported());
    (s.pairs[0] as { history: unknown }).history = 'x';
    expect(messageOf(() => createDetector().importState(s))).toContain('pairs.0.history: expected an object, got string');
  });
});
