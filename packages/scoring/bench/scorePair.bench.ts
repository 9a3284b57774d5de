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
const results: Array<{ n: number; perSec: number; usPerPair: number; wallPerSec: number }> = [];
for (const n of SIZES) {
  const pool = Array.from({ length: POOL }, (_, i) => {
    const p = generateBeacon('cobalt-strike', { seed: i + 1, beats: Math.round((n + 1) / 0.9) + 8, jitter: 0.5, missedFraction: 0.1, taskingBursts: 2 });
    return { intervals: p.intervals.slice(0, n), sizes: p.sizes.slice(0, n + 1) };
  });
  // warm up, then time for ~1 s
  for (let i = 0; i < 2000; i++) sink += scorePair(pool[i % POOL]!.intervals, pool[i % POOL]!.sizes).score;
  let iters = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < 1500) {
    for (let i = 0; i < 200; i++) {
      const p = pool[(iters + i) % POOL]!;
      sink += scorePair(p.intervals, p.sizes).score;
    }
    iters += 200;
    elapsed = performance.now() - t0;
  }
  const cpu = process.cpuUsage(c0);
  // CPU time of this (single-threaded) process: what one core delivers, even on a busy machine
  const cpuMs = (cpu.user + cpu.system) / 1000;
  results.push({ n, perSec: (iters / cpuMs) * 1000, usPerPair: (cpuMs * 1000) / iters, wallPerSec: (iters / elapsed) * 1000 });
}
console.log(`scorePair throughput (Node ${process.version}, one core)\n`);
console.log('| intervals | pairs/s (CPU time) | us/pair | us/interval | pairs/s (wall clock) |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of results) {
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`| ${r.n} | ${fmt(r.perSec)} | ${r.usPerPair.toFixed(2)} | ${(r.usPerPair / r.n).toFixed(4)} | ${fmt(r.wallPerSec)} |`);
}
const first = results[0]!;
const last = results[results.length - 1]!;
console.log(`\ngrowth ${first.n} -> ${last.n} intervals: time per pair x${(last.usPerPair / first.usPerPair).toFixed(1)} for x${last.n / first.n} the data (n log n would be x${((last.n * Math.log2(last.n)) / (first.n * Math.log2(first.n))).toFixed(1)})`);
if (Number.isNaN(sink)) console.log('unreachable');
