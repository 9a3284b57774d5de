import type { PairState } from './pairState.js';

const EMPTY = -1;
const MIN_CAPACITY = 1024;
// Cells of a table row: pair slot (cell 0, EMPTY when free), source port, flow start and last activity
// (epoch s), activity tick of the last open or burst, tick of the flow's queue entry.
const PORT = 1;
const START = 2;
const LAST = 3;
const STAMP = 4;
const ENQ = 5;
const STRIDE = 8;

function emptyRows(capacity: number): Float64Array {
  const rows = new Float64Array(capacity * STRIDE);
  for (let i = 0; i < rows.length; i += STRIDE) rows[i] = EMPTY;
  return rows;
}

/**
 * Open flows for long-connection tracking: an open-addressing hash table (linear probing,
 * backward-shift deletion) in typed arrays, keyed by (pair slot, source port). A flow costs
 * no object and no Map entry, and a flow start allocates nothing unless the table grows.
 * Capped: past `cap`, flows are evicted least recently active first by a second-chance (clock)
 * queue: flows queue in the order they opened; an evicted candidate that was active since it
 * queued goes to the back once instead. Eviction costs O(1) per flow, never a table scan. The
 * queue exists only while the table is near its cap: it is built (one sort by activity) when
 * the cap is first exceeded and dropped once the table falls below half the cap, so flows that
 * open and close well under the cap (the usual case) never pay for it. The table only grows,
 * up to about 4 x cap slots, and the queue is compacted when stale entries (closed flows)
 * outnumber live ones, so memory is bounded by the cap. Flows of a removed pair are dropped by
 * {@link OpenFlows.dropRemoved} before its slot can be reused.
 */
export class OpenFlows {
  /**
   * The table, one row of {@link STRIDE} cells per entry (slot, port, start, last, stamp, enq):
   * a probe and its updates touch one cache line rather than one per field array.
   */
  private rows: Float64Array = emptyRows(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private tick = 0;
  // The eviction queue: a ring of (slot, port, tick) entries.
  private qSlot: Int32Array = new Int32Array(MIN_CAPACITY);
  private qPort: Uint16Array = new Uint16Array(MIN_CAPACITY);
  private qTick: Float64Array = new Float64Array(MIN_CAPACITY);
  private qHead = 0;
  private qLen = 0;
  /** Whether the eviction queue is kept (from the first time over the cap until below half of it). */
  private queueing = false;
  /** Flows held. */
  size = 0;
  /** Whether the last `close` found the flow open. */
  lastKnown = false;

  constructor(
    public cap: number,
    /** The pair table's slot index. */
    private readonly pairs: ReadonlyArray<PairState | undefined>,
  ) {}

  /** Row offset (into `rows`) of the flow, or of the free row where it would go. */
  private index(slot: number, port: number): number {
    let h = Math.imul(slot, 0x9e3779b1) ^ port;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
    let i = h & this.mask;
    const r = this.rows;
    for (;;) {
      const o = i * STRIDE;
      const v = r[o] as number;
      if (v === EMPTY || (v === slot && r[o + PORT] === port)) return o;
      i = (i + 1) & this.mask;
    }
  }

  /** Entries in the eviction queue, live and stale (bounded by about 2 x the flows held). */
  get queued(): number {
    return this.qLen;
  }

  /** Records a flow start (or activity when `burst`); returns true when the table is over its cap. */
  open(p: PairState, srcPort: number, t: number, burst: boolean): boolean {
    const o = this.index(p.slot, srcPort);
    const r = this.rows;
    const tick = ++this.tick;
    r[o + STAMP] = tick;
    if (r[o] !== EMPTY) {
      if (!burst) r[o + START] = t;
      if (!burst || t > (r[o + LAST] as number)) r[o + LAST] = t;
      return false;
    }
    r[o] = p.slot;
    r[o + PORT] = srcPort;
    r[o + START] = t;
    r[o + LAST] = t;
    r[o + ENQ] = tick;
    if (this.queueing) this.push(p.slot, srcPort, tick);
    p.openFlows++;
    this.size++;
    if (this.size * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    return this.size > this.cap;
  }

  /**
   * Builds the eviction queue from the table: every flow, least recently active first, queued
   * at its last activity tick.
   */
  private buildQueue(): void {
    const r = this.rows;
    const order: number[] = [];
    for (let o = 0; o < r.length; o += STRIDE) if (r[o] !== EMPTY) order.push(o);
    order.sort((a, b) => (r[a + STAMP] as number) - (r[b + STAMP] as number));
    let n = MIN_CAPACITY;
    while (n < 2 * order.length) n *= 2;
    this.qSlot = new Int32Array(n);
    this.qPort = new Uint16Array(n);
    this.qTick = new Float64Array(n);
    this.qHead = 0;
    this.qLen = 0;
    for (const o of order) {
      const st = r[o + STAMP] as number;
      r[o + ENQ] = st;
      this.push(r[o] as number, r[o + PORT] as number, st);
    }
    this.queueing = true;
  }

  /** Stops keeping the queue once the table is well below its cap. */
  private maybeDropQueue(): void {
    if (this.queueing && this.size * 2 < this.cap) {
      this.queueing = false;
      this.qHead = 0;
      this.qLen = 0;
      if (this.qSlot.length > MIN_CAPACITY) {
        this.qSlot = new Int32Array(MIN_CAPACITY);
        this.qPort = new Uint16Array(MIN_CAPACITY);
        this.qTick = new Float64Array(MIN_CAPACITY);
      }
    }
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
      const o = this.index(s, pt);
      if (this.rows[o] === EMPTY || this.rows[o + ENQ] !== tk) continue;
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
    const o = this.index(p.slot, srcPort);
    const known = this.rows[o] !== EMPTY;
    this.lastKnown = known;
    const start = this.rows[o + START] as number;
    if (known) {
      this.deleteAt(o);
      p.openFlows--;
      if (this.queueing) this.maybeDropQueue();
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
    if (take <= 0) return out;
    if (!this.queueing) this.buildQueue();
    let done = 0;
    while (done < take && this.qLen > 0) {
      const h = this.qHead;
      const s = this.qSlot[h] as number;
      const pt = this.qPort[h] as number;
      const tk = this.qTick[h] as number;
      this.qHead = (h + 1) & (this.qSlot.length - 1);
      this.qLen--;
      const o = this.index(s, pt);
      const r = this.rows;
      if (r[o] === EMPTY || r[o + ENQ] !== tk) continue; // closed, or queued again since
      const st = r[o + STAMP] as number;
      if (st !== tk) {
        // active since it queued: a second chance at the back
        r[o + ENQ] = st;
        this.push(s, pt, st);
        continue;
      }
      this.deleteAt(o);
      done++;
      const p = this.pairs[s];
      if (p !== undefined) {
        p.openFlows--;
        p.forgotten++;
        out.push(p);
      }
    }
    this.maybeDropQueue();
    return out;
  }

  /** Drops every flow whose pair slot is no longer tracked (after pairs were removed). */
  dropRemoved(): void {
    this.removeWhere((o) => this.pairs[this.rows[o] as number] === undefined);
    this.maybeDropQueue();
  }

  /**
   * Deletes the flows at row offsets matching `pred` (in place: their keys are collected first, as
   * backward-shift deletion moves entries). Returns their live pairs, one entry per flow.
   */
  private removeWhere(pred: (i: number) => boolean): PairState[] {
    const slots: number[] = [];
    const ports: number[] = [];
    const r = this.rows;
    for (let o = 0; o < r.length; o += STRIDE) {
      if (r[o] !== EMPTY && pred(o)) {
        slots.push(r[o] as number);
        ports.push(r[o + PORT] as number);
      }
    }
    const out: PairState[] = [];
    for (let m = 0; m < slots.length; m++) {
      const s = slots[m] as number;
      this.deleteAt(this.index(s, ports[m] as number));
      const p = this.pairs[s];
      if (p !== undefined) {
        p.openFlows--;
        p.forgotten++;
        out.push(p);
      }
    }
    return out;
  }

  /** Drops every flow. */
  clear(): void {
    const r = this.rows;
    for (let o = 0; o < r.length; o += STRIDE) r[o] = EMPTY;
    this.size = 0;
    this.maybeDropQueue();
  }

  /** Calls `fn(pair, start, last)` for every open flow. */
  forEach(fn: (pair: PairState, start: number, last: number) => void): void {
    const r = this.rows;
    for (let o = 0; o < r.length; o += STRIDE) {
      const s = r[o] as number;
      if (s === EMPTY) continue;
      const p = this.pairs[s];
      if (p !== undefined) fn(p, r[o + START] as number, r[o + LAST] as number);
    }
  }

  /** Deletes the row at offset `hole` (backward-shift deletion). */
  private deleteAt(hole: number): void {
    const r = this.rows;
    const mask = this.mask;
    let i = hole / STRIDE;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const oj = j * STRIDE;
      const v = r[oj] as number;
      if (v === EMPTY) break;
      let h = Math.imul(v, 0x9e3779b1) ^ (r[oj + PORT] as number);
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
      h ^= h >>> 13;
      const home = h & mask;
      // move j into the hole unless its home lies cyclically in (i, j]
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      const oi = i * STRIDE;
      for (let c = 0; c <= ENQ; c++) r[oi + c] = r[oj + c] as number;
      i = j;
    }
    r[i * STRIDE] = EMPTY;
    this.size--;
  }

  /** Rebuilds the table at `capacity` rows (growth). */
  private rehash(capacity: number): void {
    const old = this.rows;
    this.rows = emptyRows(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let o = 0; o < old.length; o += STRIDE) {
      const v = old[o] as number;
      if (v === EMPTY) continue;
      const to = this.index(v, old[o + PORT] as number);
      for (let c = 0; c <= ENQ; c++) this.rows[to + c] = old[o + c] as number;
      this.size++;
    }
  }
}
