import { describe, expect, it } from 'vitest';
import { rocAuc } from './rocAuc.js';

describe('rocAuc', () => {
  it('is 1 for perfect separation, 0 for inverted, null when a side is empty', () => {
    expect(rocAuc([0.9, 0.8], [0.1, 0.2])).toBe(1);
    expect(rocAuc([0.1], [0.9, 0.8])).toBe(0);
    expect(rocAuc([], [1])).toBeNull();
    expect(rocAuc([1], [])).toBeNull();
  });

  it('counts ties between classes as half', () => {
    expect(rocAuc([0.5, 0.5], [0.5])).toBe(0.5);
    expect(rocAuc([0.9, 0.2], [0.5])).toBe(0.5);
    // pos {0.9, 0.5}, neg {0.5, 0.1}: (0.9>0.5)=1, (0.9>0.1)=1, (0.5=0.5)=0.5, (0.5>0.1)=1 -> 3.5/4
    expect(rocAuc([0.9, 0.5], [0.5, 0.1])).toBe(0.875);
  });

  it('matches the pairwise definition on a sample with many ties', () => {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < 90; i++) (i % 3 === 0 ? pos : neg).push(Math.round(Math.sin(i * 7.1) * 5) / 5);
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    expect(rocAuc(pos, neg)).toBeCloseTo(wins / (pos.length * neg.length), 12);
  });
});
