import type { PairState } from './pairState.js';

const EMPTY = -1;
const MIN_CAPACITY = 1024;

/**
 * Open flows for long-connection tracking: an open-addressing hash table (linear probing,
 * backward-shift deletion) in typed arrays, keyed by (pair slot, source port). A flow costs
 * no object and no Map entry, and a flow start allocates nothing unless the table grows.
 * Capped: past `cap`, flows are evicted least recently active first by a second-chance (clock)
 * queue: flows queue in the order they opened; an evicted candidate that was active since it
 * queued goes to the back once instead. Eviction costs O(1) per flow, never a table scan. The
 * table only grows, up to about 4 x cap slots, and the queue is compacted when stale entries
 * (closed flows) outnumber live ones, so memory is bounded by the cap. Flows of a removed pair
 * are dropped by {@link OpenFlows.dropRemoved} before its slot can be reused.
 */
export class OpenFlows {
  private slot: Int32Array = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private port: Uint16Array = new Uint16Array(MIN_CAPACITY);
  private start: Float64Array = new Float64Array(MIN_CAPACITY);
  private last: Float64Array = new Float64Array(MIN_CAPACITY);
  /** Activity tick of the flow's last open or burst. */
  private stamp: Float64Array = new Float64Array(MIN_CAPACITY);
  /** Tick of the flow's entry in the queue (an entry with another tick is stale). */
  private enq: Float64Array = new Float64Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private tick = 0;
  // The eviction queue: a ring of (slot, port, tick) entries.
  private qSlot: Int32Array = new Int32Array(MIN_CAPACITY);
  private qPort: Uint16Array = new Uint16Array(MIN_CAPACITY);
  private qTick: Float64Array = new Float64Array(MIN_CAPACITY);
  private qHead = 0;
  private qLen = 0;
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

  /** Entries in the eviction queue, live and stale (bounded by about 2 x the flows held). */
  get queued(): number {
    return this.qLen;
  }

  /** Records a flow start (or activity when `burst`); returns true when the table is over its cap. */
  open(p: PairState, srcPort: number, t: number, burst: boolean): boolean {
    const i = this.index(p.slot, srcPort);
    const tick = ++this.tick;
    this.stamp[i] = tick;
    if (this.slot[i] !== EMPTY) {
      if (!burst) this.start[i] = t;
      if (!burst || t > (this.last[i] as number)) this.last[i] = t;
      return false;
    }
    this.slot[i] = p.slot;
    this.port[i] = srcPort;
    this.start[i] = t;
    this.last[i] = t;
    this.enq[i] = tick;
    this.push(p.slot, srcPort, tick);
    p.openFlows++;
    this.size++;
    if (this.size * 2 > this.slot.length) this.rehash(this.slot.length * 2);
    return this.size > this.cap;
  }

  private push(slot: number, port: number, tick: number): void {
    if (this.qLen === this.qSlot.length) {
      // mostly stale entries: compact in place; otherwise grow
      if (this.qLen >= 2 * this.size + MIN_CAPACITY) this.compact();
      else this.growQueue();
    }
    const j = (this.qHead + this.qLen) & (this.qSlot.length - 1);
    this.qSlot[j] = slot;
    this.qPort[j] = port;
    this.qTick[j] = tick;
    this.qLen++;
  }

  private growQueue(): void {
    const n = this.qSlot.length;
    const slot = new Int32Array(n * 2);
    const port = new Uint16Array(n * 2);
    const tick = new Float64Array(n * 2);
    for (let k = 0; k < this.qLen; k++) {
      const j = (this.qHead + k) & (n - 1);
      slot[k] = this.qSlot[j] as number;
      port[k] = this.qPort[j] as number;
      tick[k] = this.qTick[j] as number;
    }
    this.qSlot = slot;
    this.qPort = port;
    this.qTick = tick;
    this.qHead = 0;
  }

  /** Drops stale queue entries (flows closed or re-queued), keeping the order of the rest. */
  private compact(): void {
    const n = this.qSlot.length;
    let w = 0;
    for (let k = 0; k < this.qLen; k++) {
      const j = (this.qHead + k) & (n - 1);
      const s = this.qSlot[j] as number;
      const pt = this.qPort[j] as number;
      const tk = this.qTick[j] as number;
      const i = this.index(s, pt);
      if (this.slot[i] === EMPTY || this.enq[i] !== tk) continue;
      const to = (this.qHead + w) & (n - 1);
      this.qSlot[to] = s;
      this.qPort[to] = pt;
      this.qTick[to] = tk;
      w++;
    }
    this.qLen = w;
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
   * Evicts the `k` least recently active flows (at least the excess over the cap), by the
   * second-chance queue. Returns the pairs they belonged to, one entry per flow.
   */
  evictOldest(k: number): PairState[] {
    const take = Math.min(this.size, Math.max(k, this.size - this.cap));
    const out: PairState[] = [];
    let done = 0;
    while (done < take && this.qLen > 0) {
      const h = this.qHead;
      const s = this.qSlot[h] as number;
      const pt = this.qPort[h] as number;
      const tk = this.qTick[h] as number;
      this.qHead = (h + 1) & (this.qSlot.length - 1);
      this.qLen--;
      const i = this.index(s, pt);
      if (this.slot[i] === EMPTY || this.enq[i] !== tk) continue; // closed, or queued again since
      const st = this.stamp[i] as number;
      if (st !== tk) {
        // active since it queued: a second chance at the back
        this.enq[i] = st;
        this.push(s, pt, st);
        continue;
      }
      this.deleteAt(i);
      done++;
      const p = this.pairs[s];
      if (p !== undefined) {
        p.openFlows--;
        out.push(p);
      }
    }
    return out;
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
    this.size = 0;
    this.qHead = 0;
    this.qLen = 0;
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
      this.enq[i] = this.enq[j] as number;
      i = j;
    }
    s[i] = EMPTY;
    this.size--;
  }

  /** Rebuilds the table at `capacity` (growth). */
  private rehash(capacity: number): void {
    const { slot, port, start, last, stamp, enq } = this;
    const cap = capacity;
    this.slot = new Int32Array(cap).fill(EMPTY);
    this.port = new Uint16Array(cap);
    this.start = new Float64Array(cap);
    this.last = new Float64Array(cap);
    this.stamp = new Float64Array(cap);
    this.enq = new Float64Array(cap);
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
      this.enq[j] = enq[i] as number;
      this.size++;
    }
  }
}
