import type { Detection } from '@beacon/detector';

/**
 * The address rows a name-keyed beacon covers. A beacon rotating over several addresses of one
 * name (a CDN front) is one finding, its name-keyed row (`dstIps` set); each address row that
 * carried the name points to it through `namePairKey` and, when that name-keyed row is a beacon,
 * is part of that finding rather than one of its own. Hunts list covered rows only on request.
 * @example
 * const covered = coveredByName(result.scored);
 * const findings = result.scored.filter((d) => d.isBeacon && !covered.has(d));
 */
export function coveredByName(scored: readonly Detection[]): Set<Detection> {
  const beaconKeys = new Set<string>();
  for (const d of scored) if (d.isBeacon && d.dstIps !== undefined) beaconKeys.add(d.pairKey);
  const covered = new Set<Detection>();
  if (beaconKeys.size === 0) return covered;
  for (const d of scored) if (d.namePairKey !== undefined && beaconKeys.has(d.namePairKey)) covered.add(d);
  return covered;
}
