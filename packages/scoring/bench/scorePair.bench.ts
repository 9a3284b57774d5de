/**
 * Throughput of scorePair on one core: pairs per second for 64, 256, 1,024 and 4,096 intervals
 * (Cobalt Strike profile, 50 % jitter, 10 % missed beats, tasking bursts; sizes included).
 * Usage: pnpm --filter @beacon/scoring bench
 */
import { generateBeacon } from '@beacon/synth';
import { scorePair } from '../src/index.js';

const SIZES = [64, 256, 1024, 4096];
const POOL = 32;

let sink = 0;
const results: Array<{ n: number; perSec: number; usPerPair: number }> = [];
for (const n of SIZES) {
  const pool = Array.from({ length: POOL }, (_, i) => {
    const p = generateBeacon('cobalt-strike', { seed: i + 1, beats: Math.round((n + 1) / 0.9) + 8, jitter: 0.5, missedFraction: 0.1, taskingBursts: 2 });
    return { intervals: p.intervals.slice(0, n), sizes: p.sizes.slice(0, n + 1) };
  });
  // warm up, then time for ~1 s
  for (let i = 0; i < 2000; i++) sink += scorePair(pool[i % POOL]!.intervals, pool[i % POOL]!.sizes).score;
  let iters = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < 1000) {
    for (let i = 0; i < 200; i++) {
      const p = pool[(iters + i) % POOL]!;
      sink += scorePair(p.intervals, p.sizes).score;
    }
    iters += 200;
    elapsed = performance.now() - t0;
  }
  results.push({ n, perSec: (iters / elapsed) * 1000, usPerPair: (elapsed * 1000) / iters });
}
console.log(`scorePair throughput (Node ${process.version}, one core)\n`);
console.log('| intervals | pairs/s | us/pair | us/interval |');
console.log('|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.n} | ${Math.round(r.perSec).toLocaleString('en-US')} | ${r.usPerPair.toFixed(2)} | ${(r.usPerPair / r.n).toFixed(4)} |`);
}
if (Number.isNaN(sink)) console.log('unreachable');
