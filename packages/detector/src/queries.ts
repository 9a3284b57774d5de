import type { PairDirection } from './event.js';

/** Filter of `beacons()`. */
export interface BeaconQuery {
  /** Lowest combined score listed. @default 0 */
  minScore?: number;
  /** Most items returned. @default 50 */
  limit?: number;
  /** List pairs marked benign by a baseline too. @default true */
  includeBenign?: boolean;
}

/** Filter of `connections()`. */
export interface ConnectionQuery {
  /** Only pairs from this source. */
  srcIp?: string;
  /** Only pairs to this destination. */
  dstIp?: string;
  /** Most items returned. @default 100 */
  limit?: number;
}

/** Filter of `longConnections()`. */
export interface LongConnectionQuery {
  /** Shortest duration listed, seconds. @default config.minDuration */
  minDuration?: number;
  /** Most items returned. @default 50 */
  limit?: number;
}

/** One tracked pair, as `connections()` lists it (the original's `pairs[]`, camelCase; times epoch seconds). */
export interface PairSummary {
  pairKey: string;
  srcIp: string;
  dstIp: string;
  dstPort: number;
  protocol: number;
  /** Which side is ours: outbound, internal, inbound or external. */
  direction: PairDirection;
  /** Flow starts and bursts seen since the pair was first tracked. */
  connectionCount: number;
  /** lastSeen - firstSeen. */
  durationSeconds: number;
  firstSeen: number;
  lastSeen: number;
  /** Events currently in the history ring. */
  historySize: number;
}

/** A pair with a connection open at least `minDuration`, closed or still open. */
export interface LongConnection extends PairSummary {
  /** Longest flow duration, seconds (an open flow counts up to the detector clock). */
  longestFlowSeconds: number;
  /** Flows of the pair still open. */
  openFlows: number;
  /** Closed flows of the pair that lasted at least minDuration. */
  longClosedFlows: number;
}
