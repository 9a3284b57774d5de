import { generateBeacon } from '@beacon/synth';
import { foldPass, newFoldState } from '../src/internal/fold.js';
const N = 4096;
const p = generateBeacon('cobalt-strike', { seed: 1, beats: 5000, jitter: 0.5, missedFraction: 0.1, taskingBursts: 2 });
const iv = p.intervals.slice(0, N);
const resid = new Float64Array(8192); const st = newFoldState();
const time = (f: () => unknown) => { for (let i = 0; i < 300; i++) f(); const c = process.cpuUsage(); for (let i = 0; i < 3000; i++) f(); const u = process.cpuUsage(c); return ((u.user + u.system) / 3000).toFixed(2); };
function plain(intervals: Float64Array, n: number, p0: number, out: Float64Array): number {
  let acc = 0, nr = 0, on = 0; const inv = 1 / p0;
  for (let i = 0; i < n; i++) { acc += intervals[i]!; const r = acc * inv; if (r < 0.5) { out[nr++] = 0.5; continue; } const k = Math.round(r); if (k > 3) { out[nr++] = 0.5; acc = 0; continue; } const d = (r - k); out[nr++] = d; if (d <= 0.4 && d >= -0.4) on++; acc = 0; }
  return nr + on;
}
for (let k = 0; k < 4; k++) console.log('foldPass', time(() => foldPass(iv, N, 46.3, resid, st)), 'plainTyped', time(() => plain(iv, N, 46.3, resid)));
