import type { PairState } from './pairState.js';

const EMPTY = -1;
const MIN_CAPACITY = 1024;
const BUCKETS = 4096;

/**
 * Open flows for long-connection tracking: an open-addressing hash table (linear probing,
 * backward-shift deletion) in typed arrays, keyed by (pair slot, source port). A flow costs
 * no object and no Map entry, and a flow start allocates nothing unless the table grows.
 * Capped: past `cap`, the least recently active flows (by an activity stamp) are evicted a batch
 * at a time (a few sequential passes per batch). The table only grows, up to about 4 x cap
 * slots, so memory is bounded by the cap. Flows of a removed pair are dropped by {@link OpenFlows.dropRemoved} before its
 * slot can be reused.
 */
export class OpenFlows {
  private slot: Int32Array = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private port: Uint16Array = new Uint16Array(MIN_CAPACITY);
  private start: Float64Array = new Float64Array(MIN_CAPACITY);
  private last: Float64Array = new Float64Array(MIN_CAPACITY);
  private stamp: Float64Array = new Float64Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private tick = 0;
  private readonly hist: Int32Array = new Int32Array(BUCKETS);
  /** Stamps below this were evicted: the histogram's lower bound. */
  private floor = 0;
  /** Flows held. */
  size = 0;
  /** Whether the last `close` found the flow open. */
  lastKnown = false;

  constructor(
    public cap: number,
    /** The pair table's slot index. */
    private readonly pairs: ReadonlyArray<PairState | undefined>,
  ) {}

  private index(slot: number, port: number): number {
    let h = Math.imul(slot, 0x9e3779b1) ^ port;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
    let i = h & this.mask;
    const s = this.slot;
    for (;;) {
      const v = s[i] as number;
      if (v === EMPTY || (v === slot && this.port[i] === port)) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Records a flow start (or activity when `burst`); returns true when the table is over its cap. */
  open(p: PairState, srcPort: number, t: number, burst: boolean): boolean {
    const i = this.index(p.slot, srcPort);
    this.stamp[i] = ++this.tick;
    if (this.slot[i] !== EMPTY) {
      if (!burst) this.start[i] = t;
      if (!burst || t > (this.last[i] as number)) this.last[i] = t;
      return false;
    }
    this.slot[i] = p.slot;
    this.port[i] = srcPort;
    this.start[i] = t;
    this.last[i] = t;
    p.openFlows++;
    this.size++;
    if (this.size * 2 > this.slot.length) this.rehash(this.slot.length * 2);
    return this.size > this.cap;
  }

  /** Closes a flow; returns its duration (the event's durationSec wins), or -1 when unknown. */
  close(p: PairState, srcPort: number, t: number, durationSec: number | undefined): number {
    const i = this.index(p.slot, srcPort);
    const known = this.slot[i] !== EMPTY;
    this.lastKnown = known;
    const start = this.start[i] as number;
    if (known) {
      this.deleteAt(i);
      p.openFlows--;
    }
    if (durationSec !== undefined) return durationSec;
    return known ? Math.max(0, t - start) : -1;
  }

  /**
   * Evicts the `k` least recently active flows (at least the excess over the cap). Returns the
   * pairs they belonged to, one entry per flow.
   */
  evictOldest(k: number): PairState[] {
    const n = this.size;
    const take = Math.min(n, Math.max(k, n - this.cap));
    if (take <= 0) return [];
    // The cut-off stamp from a histogram of stamps (two sequential passes, no sort): evicts
    // `take` flows plus at most the rest of one bucket, all older than every flow kept.
    const { slot, stamp, hist } = this;
    const min = this.floor; // every stamp below the previous cut-off is gone
    const width = (this.tick - min + 1) / BUCKETS;
    hist.fill(0);
    for (let i = 0; i < slot.length; i++) {
      if (slot[i] !== EMPTY) {
        const b = Math.floor(((stamp[i] as number) - min) / width);
        hist[b] = (hist[b] as number) + 1;
      }
    }
    let acc = 0;
    let b = 0;
    while (b < BUCKETS - 1 && acc + (hist[b] as number) < take) acc += hist[b++] as number;
    const limit = min + (b + 1) * width;
    this.floor = limit;
    return this.removeWhere((i) => (stamp[i] as number) < limit);
  }

  /** Drops every flow whose pair slot is no longer tracked (after pairs were removed). */
  dropRemoved(): void {
    this.removeWhere((i) => this.pairs[this.slot[i] as number] === undefined);
  }

  /**
   * Deletes the flows at indices matching `pred` (in place: their keys are collected first, as
   * backward-shift deletion moves entries). Returns their live pairs, one entry per flow.
   */
  private removeWhere(pred: (i: number) => boolean): PairState[] {
    const slots: number[] = [];
    const ports: number[] = [];
    for (let i = 0; i < this.slot.length; i++) {
      if (this.slot[i] !== EMPTY && pred(i)) {
        slots.push(this.slot[i] as number);
        ports.push(this.port[i] as number);
      }
    }
    const out: PairState[] = [];
    for (let m = 0; m < slots.length; m++) {
      const s = slots[m] as number;
      this.deleteAt(this.index(s, ports[m] as number));
      const p = this.pairs[s];
      if (p !== undefined) {
        p.openFlows--;
        out.push(p);
      }
    }
    return out;
  }

  /** Drops every flow. */
  clear(): void {
    this.slot.fill(EMPTY);
    this.floor = this.tick;
    this.size = 0;
  }

  /** Calls `fn(pair, start, last)` for every open flow. */
  forEach(fn: (pair: PairState, start: number, last: number) => void): void {
    for (let i = 0; i < this.slot.length; i++) {
      const s = this.slot[i] as number;
      if (s === EMPTY) continue;
      const p = this.pairs[s];
      if (p !== undefined) fn(p, this.start[i] as number, this.last[i] as number);
    }
  }

  private deleteAt(hole: number): void {
    const s = this.slot;
    const mask = this.mask;
    let i = hole;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const v = s[j] as number;
      if (v === EMPTY) break;
      let h = Math.imul(v, 0x9e3779b1) ^ (this.port[j] as number);
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
      h ^= h >>> 13;
      const home = h & mask;
      // move j into the hole unless its home lies cyclically in (i, j]
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      s[i] = v;
      this.port[i] = this.port[j] as number;
      this.start[i] = this.start[j] as number;
      this.last[i] = this.last[j] as number;
      this.stamp[i] = this.stamp[j] as number;
      i = j;
    }
    s[i] = EMPTY;
    this.size--;
  }

  /** Rebuilds the table at `capacity` (growth). */
  private rehash(capacity: number): void {
    this.fillFrom(capacity, this.slot, this.port, this.start, this.last, this.stamp);
  }

  private fillFrom(cap: number, slot: Int32Array, port: Uint16Array, start: Float64Array, last: Float64Array, stamp: Float64Array): void {
    this.slot = new Int32Array(cap).fill(EMPTY);
    this.port = new Uint16Array(cap);
    this.start = new Float64Array(cap);
    this.last = new Float64Array(cap);
    this.stamp = new Float64Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < slot.length; i++) {
      const v = slot[i] as number;
      if (v === EMPTY) continue;
      const j = this.index(v, port[i] as number);
      this.slot[j] = v;
      this.port[j] = port[i] as number;
      this.start[j] = start[i] as number;
      this.last[j] = last[i] as number;
      this.stamp[j] = stamp[i] as number;
      this.size++;
    }
  }
}
