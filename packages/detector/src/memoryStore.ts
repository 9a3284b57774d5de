import type { Detection } from './detection.js';
import type { CooldownSnapshot, DetectorState, PairSnapshot } from './detectorState.js';
import type { DetectorStore, StateDelta } from './detectorStore.js';
import { pairKey } from './event.js';

/**
 * A {@link DetectorStore} that applies deltas to an in-memory {@link DetectorState}: for tests,
 * and for embedding applications that persist the state their own way.
 * @example
 * const store = new MemoryStore();
 * await store.save(detector.exportDelta());
 * const restored = createDetector();
 * const state = await store.load();
 * if (state) restored.importState(state);
 */
export class MemoryStore implements DetectorStore {
  // Map order is recency order: an updated pair is re-inserted at the end, as exportState lists them.
  private readonly pairs: Map<string, PairSnapshot> = new Map();
  private readonly beacons: Map<string, Detection> = new Map();
  private readonly cooldowns: Map<string, CooldownSnapshot> = new Map();
  private counters: Record<string, number> = {};
  private exportedAt = 0;
  private saved = false;
  private closed = false;

  /** Deltas applied so far. */
  saves = 0;

  /** The state assembled from every delta saved, or null before the first. */
  load(): Promise<DetectorState | null> {
    if (!this.saved) return Promise.resolve(null);
    return Promise.resolve(
      structuredClone({
        version: 1 as const,
        exportedAt: this.exportedAt,
        pairs: [...this.pairs.values()],
        beacons: [...this.beacons.values()],
        cooldowns: [...this.cooldowns.values()],
        counters: { ...this.counters },
      }),
    );
  }

  /** Applies a delta: removals, then upserts (the detector keeps the two disjoint). */
  save(delta: StateDelta): Promise<void> {
    if (this.closed) return Promise.reject(new Error('MemoryStore is closed'));
    for (const k of delta.removedPairs) {
      this.pairs.delete(k);
      this.beacons.delete(k);
      this.cooldowns.delete(k);
    }
    for (const k of delta.removedBeacons) this.beacons.delete(k);
    for (const k of delta.removedCooldowns) this.cooldowns.delete(k);
    for (const p of delta.pairs) {
      const k = pairKey(p.srcIp, p.dstIp, p.dstPort, p.protocol);
      this.pairs.delete(k);
      this.pairs.set(k, structuredClone(p));
    }
    for (const b of delta.beacons) this.beacons.set(b.pairKey, structuredClone(b));
    for (const c of delta.cooldowns) this.cooldowns.set(c.pairKey, { ...c });
    this.counters = { ...delta.counters };
    this.exportedAt = delta.exportedAt;
    this.saved = true;
    this.saves++;
    return Promise.resolve();
  }

  /** Marks the store closed; later saves are rejected. */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
