import { describe, expect, it } from 'vitest';
import { partitionOf, partitionSubject } from './partition.js';
import { ownedPartitions, parseShard } from './shardSpec.js';

describe('partitionOf', () => {
  it('is FNV-1a of the address text, stable across calls and processes', () => {
    // FNV-1a 32 of "10.0.0.5" is 0x6aec5d51 (computed by hand from the published constants).
    let h = 0x811c9dc5;
    for (const ch of '10.0.0.5') h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    expect(partitionOf('10.0.0.5', 16)).toBe((h >>> 0) % 16);
    expect(partitionOf('10.0.0.5', 16)).toBe(partitionOf('10.0.0.5', 16));
  });
  it('spreads hosts over the partitions', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 4096; i++) counts[partitionOf(`10.${(i >> 8) & 255}.${i & 255}.7`, 16)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(4096 / 16 / 2);
    expect(Math.max(...counts)).toBeLessThan((4096 / 16) * 2);
  });
  it('names subjects beacon.events.<p>', () => {
    expect(partitionSubject(7)).toBe('beacon.events.7');
  });
});

describe('shards', () => {
  it('parses I/N, 1-based', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow(/I\/N/);
    expect(() => parseShard('4/3')).toThrow(/I\/N/);
    expect(() => parseShard('two')).toThrow(/got "two"/);
  });
  it('gives every partition to exactly one shard', () => {
    const all = [1, 2, 3].flatMap((i) => ownedPartitions({ index: i, count: 3 }, 16));
    expect(all.sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
    expect(ownedPartitions({ index: 1, count: 3 }, 16)).toEqual([0, 3, 6, 9, 12, 15]);
  });
});
