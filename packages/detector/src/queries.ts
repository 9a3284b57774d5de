import type { PairDirection } from './event.js';
import type { Detection } from './detection.js';

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

/** One pair in full: its summary, its recent event history and its latest detection. */
export interface PairDetail extends PairSummary {
  /** Event times (epoch seconds, millisecond precision), oldest first: the newest `limit` of the history ring. */
  times: number[];
  /** Event sizes (bytes), one per time. */
  sizes: number[];
  /** The known beacon record of the pair, or null when it is not a known beacon. */
  detection: Detection | null;
}

/** Options of `pair()`. */
export interface PairQuery {
  /** Most recent events returned. @default every event in the history ring */
  limit?: number;
}
