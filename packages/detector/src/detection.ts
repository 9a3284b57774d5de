import type { ScoreResult } from '@beacon/scoring';

/** One scored pair from an analysis run. Times are epoch seconds. */
export interface Detection {
  /** `src->dst:port/PROTO`, see `pairKey`. */
  pairKey: string;
  srcIp: string;
  dstIp: string;
  dstPort: number;
  /** IANA protocol number. */
  protocol: number;
  /** What `scorePair` returned for the pair's window. */
  result: ScoreResult;
  /** Score >= alertThreshold and the estimated period within [minBeaconInterval, maxBeaconInterval]. */
  isBeacon: boolean;
  /** Benign-baseline label (e.g. `NTP`) when the pair matched one; such pairs never alert. */
  benignLabel: string | null;
  /** Flow starts and bursts seen for the pair since it was first tracked. */
  connectionCount: number;
  /** Events inside the scoring window. */
  sampleCount: number;
  /** Span of the scoring window actually used, in seconds. */
  windowSeconds: number;
  firstSeen: number;
  lastSeen: number;
  /** When the analysis ran (detector clock). */
  analyzedAt: number;
  /**
   * The server name (TLS SNI, HTTP Host, DNS): for a name-keyed pair the name it is keyed by,
   * for an address pair the last name seen on it. Absent when no event carried one.
   */
  serverName?: string;
  /**
   * A name-keyed pair's destination addresses (its `dstIp` is the most recent of them). Present
   * only on name-keyed pairs: one finding for a beacon that rotates over several addresses.
   */
  dstIps?: string[];
  /** On an address pair that carried a server name: the key of that name's pair, which covers it. */
  namePairKey?: string;
}

/** Why an alert was or was not raised for a beacon detection. */
export type AlertDecision = 'new' | 'score_rise' | 'severity_up' | 'cooldown' | 'no_change' | 'benign';
