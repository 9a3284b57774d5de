import { describe, expect, it } from 'vitest';
import { Ring } from './ring.js';

describe('Ring', () => {
  it('keeps the newest items, newest first', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.newestFirst()).toEqual([5, 4, 3]);
    ring.clear();
    expect(ring.newestFirst()).toEqual([]);
  });

  it('holds nothing at capacity 0', () => {
    const ring = new Ring<number>(0);
    ring.push(1);
    expect(ring.newestFirst()).toEqual([]);
  });
});
