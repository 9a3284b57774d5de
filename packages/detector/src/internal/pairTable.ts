import { HistorySlab } from './historySlab.js';
import { PairState } from './pairState.js';
import { quickselect } from './scoreWindow.js';

/** Pairs of one source kept in a single chain before the source is indexed by destination. */
const SMALL_CHAIN = 8;

/**
 * The pair map, a slot-indexed view of it, and the history slab. Recency is a per-pair
 * "last touched" stamp rather than a linked list: touching a pair is one store, and the cap
 * evicts the oldest few percent by stamp in one pass (see {@link PairTable.oldest}). Removing a
 * pair frees its slot and marks it with `slot = -1`.
 */
export class PairTable {
  /** By pair key: for queries and state, touched only on create/remove. */
  readonly map: Map<string, PairState> = new Map();
  /** By history slot (slots are reused after removal). */
  readonly bySlot: Array<PairState | undefined> = [];
  /**
   * The hot-path index, by source address: most sources talk to a few destinations, so their
   * pairs form one short chain (via `sib`) and an event costs one Map lookup on its own source
   * string (no key string is built or hashed per event). A source with more than
   * {@link SMALL_CHAIN} pairs moves to `bySrcDst` (source -> destination -> chain by port/protocol).
   * A source is in exactly one of the two maps.
   */
  private readonly bySrc: Map<string, PairState> = new Map();
  private readonly bySrcDst: Map<string, Map<string, PairState>> = new Map();
  slab: HistorySlab;
  /** The touch counter behind `PairState.stamp`. */
  tick = 0;
  private stamps: Float64Array = new Float64Array(0);

  constructor(cap: number, maxPairs: number) {
    this.slab = new HistorySlab(cap, Math.min(1024, maxPairs));
  }

  get size(): number {
    return this.map.size;
  }

  /** The pair of a tuple, if tracked. */
  find(srcIp: string, dstIp: string, dstPort: number, protocol: number): PairState | undefined {
    let p = this.bySrc.get(srcIp);
    if (p === undefined) return this.bySrcDst.size === 0 ? undefined : this.findWide(srcIp, dstIp, dstPort, protocol);
    while (p !== undefined && (p.dstPort !== dstPort || p.protocol !== protocol || p.dstIp !== dstIp)) p = p.sib;
    return p;
  }

  private findWide(srcIp: string, dstIp: string, dstPort: number, protocol: number): PairState | undefined {
    const m = this.bySrcDst.get(srcIp);
    if (m === undefined) return undefined;
    let p = m.get(dstIp);
    while (p !== undefined && (p.dstPort !== dstPort || p.protocol !== protocol)) p = p.sib;
    return p;
  }

  /** Creates a pair, stamped most recently seen. */
  create(key: string, srcIp: string, dstIp: string, dstPort: number, protocol: number, benign: string | null): PairState {
    const slot = this.slab.alloc();
    const p = new PairState(key, srcIp, dstIp, dstPort, protocol, benign, this.slab.tsOf(slot), this.slab.szOf(slot), this.slab.offsetOf(slot), slot);
    p.stamp = ++this.tick;
    this.map.set(key, p);
    this.bySlot[slot] = p;
    const head = this.bySrc.get(srcIp);
    if (head !== undefined) {
      let n = 1;
      for (let q = head.sib; q !== undefined; q = q.sib) n++;
      if (n < SMALL_CHAIN) {
        p.sib = head;
        this.bySrc.set(srcIp, p);
        return p;
      }
      // too many destinations for one chain: index this source by destination from now on
      const wide = new Map<string, PairState>();
      for (let q: PairState | undefined = head; q !== undefined; ) {
        const next: PairState | undefined = q.sib;
        q.sib = wide.get(q.dstIp);
        wide.set(q.dstIp, q);
        q = next;
      }
      this.bySrc.delete(srcIp);
      this.bySrcDst.set(srcIp, wide);
    }
    const m = this.bySrcDst.get(srcIp);
    if (m === undefined) {
      p.sib = undefined;
      this.bySrc.set(srcIp, p);
    } else {
      p.sib = m.get(dstIp);
      m.set(dstIp, p);
    }
    return p;
  }

  /**
   * The `k` least recently seen pairs (by stamp), in no particular order. One pass over the
   * table plus a quickselect: O(pairs), so the cap evicts a batch at a time.
   */
  oldest(k: number): PairState[] {
    const n = this.map.size;
    if (k <= 0 || n === 0) return [];
    if (k >= n) return [...this.map.values()];
    if (this.stamps.length < n) this.stamps = new Float64Array(Math.max(n, this.stamps.length * 2));
    const s = this.stamps;
    let i = 0;
    for (const p of this.map.values()) s[i++] = p.stamp;
    const limit = quickselect(s, n, k - 1);
    const out: PairState[] = [];
    for (const p of this.map.values()) if (p.stamp <= limit) out.push(p); // stamps are unique
    return out;
  }

  /** Unindexes a pair and marks it removed; its slot is freed by {@link PairTable.release}. */
  remove(p: PairState): void {
    if (p.slot < 0) return;
    this.map.delete(p.key);
    const head = this.bySrc.get(p.srcIp);
    if (head !== undefined) {
      if (head === p) {
        if (p.sib === undefined) this.bySrc.delete(p.srcIp);
        else this.bySrc.set(p.srcIp, p.sib);
      } else {
        let q = head;
        while (q.sib !== p) q = q.sib as PairState;
        q.sib = p.sib;
      }
    } else {
      const m = this.bySrcDst.get(p.srcIp) as Map<string, PairState>;
      const first = m.get(p.dstIp) as PairState;
      if (first === p) {
        if (p.sib === undefined) {
          m.delete(p.dstIp);
          if (m.size === 0) this.bySrcDst.delete(p.srcIp);
        } else m.set(p.dstIp, p.sib);
      } else {
        let q = first;
        while (q.sib !== p) q = q.sib as PairState;
        q.sib = p.sib;
      }
    }
    p.sib = undefined;
    this.bySlot[p.slot] = undefined;
    this.slab.release(p.slot);
    p.slot = -1;
  }

  /**
   * Moves every pair to a slab of a new ring capacity, keeping each pair's newest entries.
   * Slots are kept (open flows refer to pairs by slot). Returns the number of entries dropped.
   */
  resize(newCap: number, maxPairs: number): number {
    const old = this.slab;
    const oldCap = old.cap;
    this.slab = new HistorySlab(newCap, Math.min(1024, maxPairs));
    this.slab.reserve(this.bySlot.length, this.bySlot.map((p) => p === undefined));
    let dropped = 0;
    for (const p of this.map.values()) {
      const keep = Math.min(p.len, newCap);
      const skip = p.len - keep;
      dropped += skip;
      const slot = p.slot;
      const ts = this.slab.tsOf(slot);
      const sz = this.slab.szOf(slot);
      const off = this.slab.offsetOf(slot);
      for (let i = 0; i < keep; i++) {
        const from = p.off + ((p.head + skip + i) % oldCap);
        ts[off + i] = p.ts[from] as number;
        sz[off + i] = p.sz[from] as number;
      }
      p.ts = ts;
      p.sz = sz;
      p.off = off;
      p.head = 0;
      p.len = keep;
      p.persist = true;
    }
    return dropped;
  }
}
