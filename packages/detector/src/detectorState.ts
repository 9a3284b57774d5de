import type { Severity } from '@beacon/scoring';
import type { Detection } from './detection.js';

/** One pair in a {@link DetectorState}. Times are epoch seconds. */
export interface PairSnapshot {
  srcIp: string;
  dstIp: string;
  dstPort: number;
  protocol: number;
  firstSeen: number;
  lastSeen: number;
  count: number;
  maxFlowSec: number;
  longFlows: number;
  /** History, oldest first (millisecond precision). */
  times: number[];
  sizes: number[];
}

/** Alert-gating memory of one pair. */
export interface CooldownSnapshot {
  pairKey: string;
  /** When the last alert was raised (detector clock, epoch seconds). */
  at: number;
  score: number;
  severity: Severity;
}

/** Serialisable detector state (plain JSON): pairs, known beacons, cooldowns and counters. */
export interface DetectorState {
  version: 1;
  /** Detector clock when exported, epoch seconds. */
  exportedAt: number;
  pairs: PairSnapshot[];
  beacons: Detection[];
  cooldowns: CooldownSnapshot[];
  /** Lifetime counters, by name. */
  counters: Record<string, number>;
}
