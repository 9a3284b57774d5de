import { HistorySlab } from './historySlab.js';
import { PairState } from './pairState.js';

/**
 * The pair map plus an intrusive doubly-linked LRU list (most recently seen at `head`) and the
 * history slab. Removing a pair frees its slot and marks it with `slot = -1`.
 */
export class PairTable {
  /** By pair key: for queries and state, touched only on create/remove. */
  readonly map: Map<string, PairState> = new Map();
  /**
   * The hot-path index: source -> destination -> chain of pairs (by port/protocol, via `sib`).
   * Looking up the event's own strings avoids building and hashing a key string per event.
   */
  private readonly bySrc: Map<string, Map<string, PairState>> = new Map();
  head: PairState | null = null;
  tail: PairState | null = null;
  slab: HistorySlab;
  private nextId = 1;

  constructor(cap: number, maxPairs: number) {
    this.slab = new HistorySlab(cap, Math.min(1024, maxPairs));
  }

  get size(): number {
    return this.map.size;
  }

  /** The pair of a tuple, if tracked. */
  find(srcIp: string, dstIp: string, dstPort: number, protocol: number): PairState | undefined {
    const m = this.bySrc.get(srcIp);
    if (m === undefined) return undefined;
    let p = m.get(dstIp);
    while (p !== undefined && (p.dstPort !== dstPort || p.protocol !== protocol)) p = p.sib;
    return p;
  }

  /** Creates and links a pair at the head. */
  create(key: string, srcIp: string, dstIp: string, dstPort: number, protocol: number, benign: string | null): PairState {
    const slot = this.slab.alloc();
    const p = new PairState(this.nextId++, key, srcIp, dstIp, dstPort, protocol, benign, this.slab.tsOf(slot), this.slab.szOf(slot), this.slab.offsetOf(slot), slot);
    this.map.set(key, p);
    let m = this.bySrc.get(srcIp);
    if (m === undefined) {
      m = new Map();
      this.bySrc.set(srcIp, m);
    }
    p.sib = m.get(dstIp);
    m.set(dstIp, p);
    p.next = this.head;
    if (this.head) this.head.prev = p;
    this.head = p;
    if (!this.tail) this.tail = p;
    return p;
  }

  /** Marks a pair most recently seen. */
  touch(p: PairState): void {
    if (this.head === p) return;
    const prev = p.prev as PairState; // not head, so it has a predecessor
    prev.next = p.next;
    if (p.next) p.next.prev = prev;
    else this.tail = prev;
    p.prev = null;
    p.next = this.head;
    (this.head as PairState).prev = p;
    this.head = p;
  }

  /** Unlinks and frees a pair. */
  remove(p: PairState): void {
    if (p.slot < 0) return;
    if (p.prev) p.prev.next = p.next;
    else this.head = p.next;
    if (p.next) p.next.prev = p.prev;
    else this.tail = p.prev;
    p.prev = p.next = null;
    this.map.delete(p.key);
    const m = this.bySrc.get(p.srcIp) as Map<string, PairState>;
    const first = m.get(p.dstIp) as PairState;
    if (first === p) {
      if (p.sib === undefined) {
        m.delete(p.dstIp);
        if (m.size === 0) this.bySrc.delete(p.srcIp);
      } else m.set(p.dstIp, p.sib);
    } else {
      let q = first;
      while (q.sib !== p) q = q.sib as PairState;
      q.sib = p.sib;
    }
    p.sib = undefined;
    this.slab.release(p.slot);
    p.slot = -1;
  }

  /**
   * Moves every pair to a slab of a new ring capacity, keeping each pair's newest entries.
   * Returns the number of entries dropped.
   */
  resize(newCap: number, maxPairs: number): number {
    const old = this.slab;
    const oldCap = old.cap;
    this.slab = new HistorySlab(newCap, Math.min(1024, maxPairs));
    let dropped = 0;
    for (const p of this.map.values()) {
      const keep = Math.min(p.len, newCap);
      const skip = p.len - keep;
      dropped += skip;
      const slot = this.slab.alloc();
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
      p.slot = slot;
      p.head = 0;
      p.len = keep;
    }
    return dropped;
  }
}
