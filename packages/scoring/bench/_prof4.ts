import { generateBeacon } from '@beacon/synth';
import { scorePair } from '../src/index.js';
const p = generateBeacon('cobalt-strike', { seed: 1, beats: 5000, jitter: 0.5, missedFraction: 0.1, taskingBursts: 2 });
const iv = p.intervals.slice(0, 4096), sz = p.sizes.slice(0, 4097);
let s = 0; for (let i = 0; i < 10000; i++) s += scorePair(iv, sz).score; console.log(s);
