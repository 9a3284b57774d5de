/**
 * Detector time of one hunt over a file, parsing excluded: `ticked` (an analysis at every
 * analysis_interval of data time, as the hunt did before) or `fast` (createHunt). Prints seconds.
 *   tsx --conditions=@beacon/source bench/compareTicked.ts ticked|fast conn.log
 */
import type { ConnectionEvent } from '@beacon/detector';
import { openSource } from '@beacon/sources';
import { createHunt } from '../src/createHunt.js';
import { createTickedHunt } from '../src/internal/testing/tickedHunt.js';

const [mode, file] = process.argv.slice(2);
const batches: ConnectionEvent[][] = [];
for await (const batch of await openSource(file as string)) batches.push(batch);
const t0 = performance.now();
if (mode === 'ticked') {
  const h = createTickedHunt();
  for (const b of batches) h.feed(b);
  h.finish();
} else {
  const h = createHunt({ trusted: true });
  for (const b of batches) h.push(b);
  h.finish();
}
process.stdout.write(String((performance.now() - t0) / 1000));
