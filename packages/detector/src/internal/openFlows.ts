import type { PairState } from './pairState.js';

/** A flow seen starting (or bursting) and not yet ended. Times are epoch seconds. */
export interface OpenFlow {
  pair: PairState;
  srcPort: number;
  key: number;
  start: number;
  last: number;
  /** LRU links: `newer` towards the head (most recently active). */
  newer: OpenFlow | null;
  older: OpenFlow | null;
}

/**
 * Open flows for long-connection tracking, keyed by pair id and source port (a number: no
 * string building per event). Capped; the least recently active flow is evicted first through
 * an intrusive LRU list (O(1); evicting through Map iteration order degrades badly once the
 * Map holds many deleted entries). Flows of removed pairs are dropped lazily.
 */
export class OpenFlows {
  readonly map: Map<number, OpenFlow> = new Map();
  private newest: OpenFlow | null = null;
  private oldest: OpenFlow | null = null;
  /** Whether the last `close` found the flow open. */
  lastKnown = false;

  constructor(public cap: number) {}

  /** Records a flow start; returns a flow evicted to make room, if any. */
  open(p: PairState, srcPort: number, t: number): OpenFlow | null {
    const key = p.id * 65536 + srcPort;
    const prev = this.map.get(key);
    if (prev) {
      prev.start = t;
      prev.last = t;
      this.toFront(prev);
      return null;
    }
    const f: OpenFlow = { pair: p, srcPort, key, start: t, last: t, newer: null, older: this.newest };
    if (this.newest) this.newest.newer = f;
    this.newest = f;
    if (!this.oldest) this.oldest = f;
    this.map.set(key, f);
    p.openFlows++;
    return this.map.size > this.cap ? this.evictOldest() : null;
  }

  /** Records activity (a burst); a flow not seen starting is tracked from here. */
  touch(p: PairState, srcPort: number, t: number): OpenFlow | null {
    const f = this.map.get(p.id * 65536 + srcPort);
    if (!f) return this.open(p, srcPort, t);
    if (t > f.last) f.last = t;
    this.toFront(f);
    return null;
  }

  /** Closes a flow; returns its duration (the event's durationSec wins), or -1 when unknown. */
  close(p: PairState, srcPort: number, t: number, durationSec: number | undefined): number {
    const f = this.map.get(p.id * 65536 + srcPort);
    this.lastKnown = f !== undefined;
    if (f) this.unlink(f);
    if (durationSec !== undefined) return durationSec;
    return f ? Math.max(0, t - f.start) : -1;
  }

  /** Drops every flow of a removed pair (used by cleanup, not the hot path). */
  dropRemoved(): void {
    for (const f of this.map.values()) if (f.pair.slot < 0) this.unlink(f);
  }

  private unlink(f: OpenFlow): void {
    this.map.delete(f.key);
    f.pair.openFlows--;
    if (f.newer) f.newer.older = f.older;
    else this.newest = f.older;
    if (f.older) f.older.newer = f.newer;
    else this.oldest = f.newer;
    f.newer = f.older = null;
  }

  private toFront(f: OpenFlow): void {
    if (this.newest === f) return;
    const newer = f.newer as OpenFlow;
    newer.older = f.older;
    if (f.older) f.older.newer = newer;
    else this.oldest = newer;
    f.newer = null;
    f.older = this.newest;
    (this.newest as OpenFlow).newer = f;
    this.newest = f;
  }

  private evictOldest(): OpenFlow | null {
    while (this.oldest && this.map.size > this.cap) {
      const f = this.oldest;
      this.unlink(f);
      if (f.pair.slot >= 0) return f; // orphans of removed pairs make room without counting
    }
    return null;
  }
}
