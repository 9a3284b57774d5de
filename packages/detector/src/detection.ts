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
}

/** Why an alert was or was not raised for a beacon detection. */
export type AlertDecision = 'new' | 'score_rise' | 'severity_up' | 'cooldown' | 'no_change' | 'benign';
