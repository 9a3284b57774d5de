import type { Detection } from '../detection.js';
import type { PairState } from './pairState.js';

/**
 * Adds a pair's server-name fields to a detection: `serverName` and `dstIps` (with `dstIp` the
 * newest address) for a name-keyed pair, `serverName` and `namePairKey` for an address pair that
 * carried a name (the key only while that name-keyed pair is scored: two or more addresses). Nothing for pairs that never saw a name.
 */
export function withNameFields(d: Detection, p: PairState): Detection {
  const name = p.serverName;
  if (name === undefined) return d;
  d.serverName = name;
  if (p.named) {
    const ips = p.dstIps ?? [];
    d.dstIps = [...ips];
    if (ips.length > 0) d.dstIp = ips[ips.length - 1] as string;
  } else {
    // Point to the name-keyed pair only where it is scored: alive and spanning two addresses.
    const np = p.namePair;
    if (np !== undefined && np.slot >= 0 && np.serverName === name && (np.dstIps?.length ?? 0) >= 2) d.namePairKey = np.key;
  }
  return d;
}
