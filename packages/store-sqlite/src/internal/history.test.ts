import { describe, expect, it } from 'vitest';
import { packHistory, unpackHistory } from './history.js';

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
