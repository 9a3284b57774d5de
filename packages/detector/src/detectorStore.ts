import type { Detection } from './detection.js';
import type { CooldownSnapshot, DetectorState, PairSnapshot } from './detectorState.js';

/**
 * What changed since the previous delta: pairs touched (whole snapshot of each), pairs gone,
 * beacons and cooldowns set or cleared, and every lifetime counter. Applying deltas in order
 * to an empty store yields the state {@link Detector.exportState} would give.
 */
export interface StateDelta {
  /** Detector clock when taken, epoch seconds. */
  exportedAt: number;
  /** Pairs created or changed since the last delta. */
  pairs: PairSnapshot[];
  /** Pair keys evicted, expired or purged since the last delta. */
  removedPairs: string[];
  /** Beacons set or updated since the last delta. */
  beacons: Detection[];
  /** Pair keys that stopped being beacons (or were cleared). */
  removedBeacons: string[];
  cooldowns: CooldownSnapshot[];
  removedCooldowns: string[];
  /** Every lifetime counter, current values. */
  counters: Record<string, number>;
}

/**
 * Where a detector's state lives between runs. The detector hands over deltas; the store
 * writes them in batches and returns the whole state at start-up. Memory by default
 * ({@link MemoryStore}); `@beacon/store-sqlite` keeps it in SQLite.
 */
export interface DetectorStore {
  /** The saved state, or null when nothing was saved yet. */
  load(): Promise<DetectorState | null>;
  /** Persists one delta atomically (one transaction). */
  save(delta: StateDelta): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
