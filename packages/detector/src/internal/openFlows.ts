import type { PairState } from './pairState.js';

/** A flow seen starting (or bursting) and not yet ended. Times are epoch seconds. */
export interface OpenFlow {
  pair: PairState;
  srcPort: number;
  start: number;
  last: number;
}

/**
 * Open flows for long-connection tracking, keyed by pair id and source port (a number: no
 * string building per event). Capped; the least recently active flow is evicted first (Map
 * order, refreshed on activity). Flows of removed pairs are dropped lazily.
 */
export class OpenFlows {
  readonly map: Map<number, OpenFlow> = new Map();

  /** Whether the last `close` found the flow open. */
  lastKnown = false;

  constructor(public cap: number) {}

  /** Records a flow start; returns a flow evicted to make room, if any. */
  open(p: PairState, srcPort: number, t: number): OpenFlow | null {
    const key = p.id * 65536 + srcPort;
    const prev = this.map.get(key);
    if (prev) {
      this.map.delete(key);
      prev.start = t;
      prev.last = t;
      this.map.set(key, prev);
      return null;
    }
    this.map.set(key, { pair: p, srcPort, start: t, last: t });
    p.openFlows++;
    return this.map.size > this.cap ? this.evictOldest() : null;
  }

  /** Records activity (a burst); a flow not seen starting is tracked from here. */
  touch(p: PairState, srcPort: number, t: number): OpenFlow | null {
    const key = p.id * 65536 + srcPort;
    const f = this.map.get(key);
    if (!f) return this.open(p, srcPort, t);
    if (t > f.last) f.last = t;
    this.map.delete(key);
    this.map.set(key, f);
    return null;
  }

  /** Closes a flow; returns its duration (the event's durationSec wins), or -1 when unknown. */
  close(p: PairState, srcPort: number, t: number, durationSec: number | undefined): number {
    const key = p.id * 65536 + srcPort;
    const f = this.map.get(key);
    this.lastKnown = f !== undefined;
    if (f) {
      this.map.delete(key);
      p.openFlows--;
    }
    if (durationSec !== undefined) return durationSec;
    return f ? Math.max(0, t - f.start) : -1;
  }

  /** Drops every flow of a removed pair (used by cleanup, not the hot path). */
  dropRemoved(): void {
    for (const [k, f] of this.map) if (f.pair.slot < 0) this.map.delete(k);
  }

  private evictOldest(): OpenFlow | null {
    for (const [k, f] of this.map) {
      this.map.delete(k);
      f.pair.openFlows--;
      if (f.pair.slot >= 0) return f;
      if (this.map.size <= this.cap) return null; // an orphan made room; not a real eviction
    }
    return null;
  }
}
