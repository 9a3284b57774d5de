import { describe, expect, it } from 'vitest';
import { huntFiles } from '@beacon/hunt';
import { openSource } from '@beacon/sources';
import { createTickedHunt } from '../../../packages/hunt/src/internal/testing/tickedHunt.js';
import { datasets, missingDatasets } from './datasets.js';

/**
 * The hunt scores each pair once at the end; the live loop (and the hunt before it) analyses
 * every analysis_interval of data time. On the real captures both must find the same pairs,
 * the same beacons, and scores within 0.01.
 */
describe.skipIf(missingDatasets)('fast hunting finds what tick-by-tick analysis finds', () => {
  it.each(Object.entries(datasets))('%s', async (_name, file) => {
    const ticked = createTickedHunt();
    for await (const batch of await openSource(file)) ticked.feed(batch);
    const reference = ticked.finish();
    const { scored } = await huntFiles([file]);
    expect(reference.length).toBeGreaterThan(0);
    expect(scored.map((d) => d.pairKey).sort()).toEqual(reference.map((d) => d.pairKey).sort());
    const fast = new Map(scored.map((d) => [d.pairKey, d]));
    for (const r of reference) {
      const f = fast.get(r.pairKey);
      expect(f?.isBeacon, r.pairKey).toBe(r.isBeacon);
      expect(Math.abs((f?.result.score ?? -1) - r.result.score), r.pairKey).toBeLessThan(0.01);
    }
  });
});
