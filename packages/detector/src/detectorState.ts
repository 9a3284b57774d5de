import type { Severity } from '@beacon/scoring';
import type { Detection } from './detection.js';

/**
 * A pair's history as typed arrays, an alternative to {@link PairSnapshot.times} and
 * {@link PairSnapshot.sizes} that `Detector.importState` copies into its ring without
 * per-event conversion. Event `i` (0 <= i < `length`) happened at epoch millisecond
 * `baseMs + times[start + i]` with size `sizes[start + i]`, oldest first. Several pairs may
 * share the same arrays, each with its own `start`.
 * @example
 * // Events at epoch seconds 1700000000.000, 1700000060.250 and 1700000120.000
 * const history: PairHistory = { baseMs: 1_700_000_000_000, times: Uint32Array.of(0, 60_250, 120_000), sizes: Uint32Array.of(310, 311, 310) };
 */
export interface PairHistory {
  /** Epoch milliseconds that relative time 0 stands for: a whole number >= 0. */
  baseMs: number;
  /** Event times, milliseconds after `baseMs`. */
  times: Uint32Array;
  /** Event sizes (bytes), one per time. */
  sizes: Uint32Array;
  /** Index in `times` and `sizes` of this pair's oldest event. @default 0 */
  start?: number;
  /** Number of events. @default times.length - start */
  length?: number;
}

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
  /**
   * Failed connection attempts among the pair's events (see `isFailedAttempt`): a pair whose
   * attempts mostly failed is a reconnect loop (`kind: 'reconnect'`). Absent in snapshots from
   * versions before it: 0.
   */
  failed?: number;
  /** History, oldest first (millisecond precision). */
  times: number[];
  sizes: number[];
  /**
   * The same history as typed arrays (optional). When present, `Detector.importState` reads
   * the history from here and does not read `times` or `sizes`; a store may then compute
   * those only when they are read. `Detector.exportState` never sets it.
   */
  history?: PairHistory;
  /**
   * Server name: for a pair keyed by name (its `dstIp` is then the name) the name itself; for an
   * address pair the last name seen on it. Absent for pairs that never saw a name.
   */
  serverName?: string;
  /** A name-keyed pair's destination addresses, oldest first (`dst_ips` of its findings). */
  dstIps?: string[];
}

/** Alert-gating memory of one pair. */
export interface CooldownSnapshot {
  pairKey: string;
  /** When the last alert was raised (detector clock, epoch seconds). */
  at: number;
  score: number;
  severity: Severity;
}

/**
 * Serialisable detector state: pairs, known beacons, cooldowns and counters. What
 * `Detector.exportState` returns is plain JSON; pairs from a store may also carry a typed
 * {@link PairSnapshot.history}.
 */
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
