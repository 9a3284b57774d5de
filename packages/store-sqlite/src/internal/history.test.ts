import { describe, expect, it } from 'vitest';
import { HistoryColumns, packHistory, unpackHistory } from './history.js';

describe('packHistory', () => {
  it.each([
    ['empty', [], []],
    ['one event', [1_700_000_000.123], [0]],
    ['60 s beacon, ms precision, small sizes', [1_700_000_000, 1_700_000_060.25, 1_700_000_119.999], [310, 311, 4000]],
    ['long gaps and large sizes (32-bit)', [1_700_000_000, 1_700_090_000, 1_700_900_000.001], [70_000, 4_000_000_000, 1]],
    ['sub-millisecond times fall back to float64', [1_700_000_000.0001, 1_700_000_001.5], [1, 2]],
    ['out-of-order times fall back to float64', [1_700_000_010, 1_700_000_000], [1, 2]],
    ['fractional sizes fall back to float64', [1, 2], [1.5, 2.25]],
  ])('round-trips %s exactly', (_name, times, sizes) => {
    const blob = packHistory(times, sizes);
    expect(unpackHistory(blob)).toEqual({ times, sizes });
    // A BLOB read back from SQLite sits at an arbitrary offset of a larger buffer.
    const shifted = Buffer.concat([Buffer.alloc(3), blob]).subarray(3);
    expect(unpackHistory(shifted)).toEqual({ times, sizes });
  });

  it('packs a 128-event 60 s beacon into ~530 bytes', () => {
    const times = Array.from({ length: 128 }, (_, i) => 1_700_000_000 + i * 60 + (i % 7) * 0.013);
    const sizes = times.map((_, i) => 300 + (i % 5));
    expect(packHistory(times, sizes).byteLength).toBeLessThanOrEqual(16 + 256 + 256);
  });

  it('rejects a truncated or unknown blob', () => {
    const blob = packHistory([1, 2, 3], [1, 2, 3]);
    expect(() => unpackHistory(blob.subarray(0, blob.byteLength - 1))).toThrow(/expected/);
    expect(() => unpackHistory(Buffer.alloc(4))).toThrow(/too short/);
    const bad = Buffer.from(blob);
    bad[0] = 9;
    expect(() => unpackHistory(bad)).toThrow(/unknown/);
  });
});

describe('HistoryColumns', () => {
  const plainOf = (h: { baseMs: number; times: Uint32Array; sizes: Uint32Array; start?: number; length?: number }): { times: number[]; sizes: number[] } => {
    const start = h.start ?? 0;
    const n = h.length ?? h.times.length - start;
    return { times: Array.from(h.times.subarray(start, start + n), (t) => (h.baseMs + t) / 1000), sizes: Array.from(h.sizes.subarray(start, start + n)) };
  };

  it.each([
    ['empty', [], []],
    ['one event', [1_700_000_000.123], [0]],
    ['60 s beacon, ms precision, small sizes', [1_700_000_000, 1_700_000_060.25, 1_700_000_119.999], [310, 311, 4000]],
    ['long gaps and large sizes (32-bit)', [1_700_000_000, 1_700_090_000, 1_700_900_000.001], [70_000, 4_000_000_000, 1]],
  ])('decodes %s into typed arrays, times relative to the first', (_name, times, sizes) => {
    const columns = new HistoryColumns();
    columns.decode(packHistory([1, 2], [3, 4])); // something before it: start is not 0
    const shifted = Buffer.concat([Buffer.alloc(3), packHistory(times, sizes)]).subarray(3);
    const h = columns.decode(shifted);
    expect(h).not.toBeNull();
    expect(h!.start).toBe(2);
    expect(h!.baseMs).toBe(times.length > 0 ? Math.round(times[0]! * 1000) : 0);
    expect(plainOf(h!)).toEqual({ times, sizes });
  });

  it.each([
    ['sub-millisecond times', [1_700_000_000.0001, 1_700_000_001.5], [1, 2]],
    ['out-of-order times', [1_700_000_010, 1_700_000_000], [1, 2]],
    ['fractional sizes', [1, 2], [1.5, 2.25]],
    ['a span beyond 32 bits of milliseconds', [1_600_000_000, 1_603_000_000, 1_606_000_000], [1, 2, 3]],
  ])('has no typed form for %s (unpackHistory reads those)', (_name, times, sizes) => {
    expect(new HistoryColumns().decode(packHistory(times, sizes))).toBeNull();
  });

  it('shares chunks between histories and starts a new one when one does not fit', () => {
    const long = (n: number): [number[], number[]] => [Array.from({ length: n }, (_, i) => 1_700_000_000 + i * 0.5), Array.from({ length: n }, (_, i) => i % 1000)];
    const [t6, s6] = long(600_000);
    const [t3, s3] = long(300_000);
    const big = packHistory(t6, s6);
    const columns = new HistoryColumns();
    const a = columns.decode(big)!;
    const b = columns.decode(packHistory(t3, s3))!;
    const c = columns.decode(big)!;
    expect([a.start, b.start, c.start]).toEqual([0, 600_000, 0]);
    expect(b.times).toBe(a.times);
    expect(c.times).not.toBe(a.times);
    const same = (x: number[], y: number[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
    expect(same(plainOf(b).times, t3) && same(plainOf(b).sizes, s3)).toBe(true);
    expect(same(plainOf(c).times, t6) && same(plainOf(c).sizes, s6)).toBe(true);
  });

  it('rejects a truncated or unknown blob', () => {
    const blob = packHistory([1, 2, 3], [1, 2, 3]);
    const columns = new HistoryColumns();
    expect(() => columns.decode(blob.subarray(0, blob.byteLength - 1))).toThrow(/expected/);
    expect(() => columns.decode(Buffer.alloc(4))).toThrow(/too short/);
    const bad = Buffer.from(blob);
    bad[0] = 9;
    expect(() => columns.decode(bad)).toThrow(/unknown/);
  });
});
