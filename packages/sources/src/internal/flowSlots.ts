import type { Packet } from './packetDecoder.js';

const NONE = -1;
const INITIAL = 1024;

/**
 * Flow storage as parallel typed arrays (struct of arrays) with a chained hash index, grown by
 * doubling. Compact and allocation-free per packet; freed slots are reused through a free list.
 */
export class FlowSlots {
  cap: number = 0;
  /** Bucket heads: slot index or -1. */
  private buckets: Int32Array = new Int32Array(0);
  private mask = 0;
  private hashes: Int32Array = new Int32Array(0);
  private chain: Int32Array = new Int32Array(0);
  /** Per slot 8 words: initiator address (4), responder address (4); IPv4 in words 3 and 7. */
  private addr: Int32Array = new Int32Array(0);
  /** Initiator port << 16 | responder port. */
  ports: Int32Array = new Int32Array(0);
  proto: Uint8Array = new Uint8Array(0);
  v6: Uint8Array = new Uint8Array(0);
  closed: Uint8Array = new Uint8Array(0);
  flags: Uint8Array = new Uint8Array(0);
  /** 1 while the slot's flow waits for its first client payload (in the flow table's pending map). */
  waiting: Uint8Array = new Uint8Array(0);
  packets: Float64Array = new Float64Array(0);
  bytes: Float64Array = new Float64Array(0);
  firstSec: Float64Array = new Float64Array(0);
  firstNsec: Int32Array = new Int32Array(0);
  lastSec: Float64Array = new Float64Array(0);
  lastNsec: Int32Array = new Int32Array(0);
  lastT: Float64Array = new Float64Array(0);
  older: Int32Array = new Int32Array(0);
  newer: Int32Array = new Int32Array(0);
  srcIp: (string | undefined)[] = [];
  /** Address ids in a row writer's table (when events are written as rows). */
  srcId: Int32Array = new Int32Array(0);
  dstId: Int32Array = new Int32Array(0);
  dstIp: (string | undefined)[] = [];
  /** The flow's server name (SNI, HTTP Host or DNS), once known. */
  name: (string | undefined)[] = [];
  private used = 0;
  private free = NONE;

  /** The slot holding this packet's flow (either direction), or -1. */
  find(hash: number, pk: Packet): number {
    if (this.cap === 0) return NONE;
    const a = this.addr;
    const fwd = (pk.sport << 16) | pk.dport;
    const rev = (pk.dport << 16) | pk.sport;
    const s3 = pk.s3 | 0;
    const d3 = pk.d3 | 0;
    const v6 = pk.v6 ? 1 : 0;
    for (let i = this.buckets[hash & this.mask] as number; i !== NONE; i = this.chain[i] as number) {
      if (this.hashes[i] !== hash || this.proto[i] !== pk.proto || this.v6[i] !== v6) continue;
      const o = i * 8;
      const p = this.ports[i];
      if (p === fwd && a[o + 3] === s3 && a[o + 7] === d3) {
        if (v6 === 0 || (a[o] === (pk.s0 | 0) && a[o + 1] === (pk.s1 | 0) && a[o + 2] === (pk.s2 | 0) && a[o + 4] === (pk.d0 | 0) && a[o + 5] === (pk.d1 | 0) && a[o + 6] === (pk.d2 | 0))) return i;
      }
      if (p === rev && a[o + 3] === d3 && a[o + 7] === s3) {
        if (v6 === 0 || (a[o] === (pk.d0 | 0) && a[o + 1] === (pk.d1 | 0) && a[o + 2] === (pk.d2 | 0) && a[o + 4] === (pk.s0 | 0) && a[o + 5] === (pk.s1 | 0) && a[o + 6] === (pk.s2 | 0))) return i;
      }
    }
    return NONE;
  }

  /** Takes a slot for a new flow oriented as the packet (its sender is the initiator) and indexes it. */
  alloc(hash: number, pk: Packet): number {
    let i = this.free;
    if (i !== NONE) this.free = this.chain[i] as number;
    else {
      if (this.used === this.cap) this.grow();
      i = this.used++;
    }
    const o = i * 8;
    const a = this.addr;
    a[o] = pk.s0;
    a[o + 1] = pk.s1;
    a[o + 2] = pk.s2;
    a[o + 3] = pk.s3;
    a[o + 4] = pk.d0;
    a[o + 5] = pk.d1;
    a[o + 6] = pk.d2;
    a[o + 7] = pk.d3;
    this.ports[i] = (pk.sport << 16) | pk.dport;
    this.proto[i] = pk.proto;
    this.v6[i] = pk.v6 ? 1 : 0;
    this.hashes[i] = hash;
    const b = hash & this.mask;
    this.chain[i] = this.buckets[b] as number;
    this.buckets[b] = i;
    return i;
  }

  /** Unindexes a slot and puts it on the free list. */
  release(i: number): void {
    const b = (this.hashes[i] as number) & this.mask;
    let c = this.buckets[b] as number;
    if (c === i) this.buckets[b] = this.chain[i] as number;
    else {
      while (c !== NONE && this.chain[c] !== i) c = this.chain[c] as number;
      if (c !== NONE) this.chain[c] = this.chain[i] as number;
    }
    this.srcIp[i] = this.dstIp[i] = this.name[i] = undefined;
    this.waiting[i] = 0;
    this.chain[i] = this.free;
    this.free = i;
  }

  private grow(): void {
    const cap = this.cap === 0 ? INITIAL : this.cap * 2;
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(cap * per);
      next.set(old);
      return next;
    };
    const i32 = (n: number): Int32Array => new Int32Array(n);
    const u8 = (n: number): Uint8Array => new Uint8Array(n);
    const f64 = (n: number): Float64Array => new Float64Array(n);
    this.hashes = widen(this.hashes, i32);
    this.chain = widen(this.chain, i32);
    this.addr = widen(this.addr, i32, 8);
    this.ports = widen(this.ports, i32);
    this.proto = widen(this.proto, u8);
    this.v6 = widen(this.v6, u8);
    this.closed = widen(this.closed, u8);
    this.flags = widen(this.flags, u8);
    this.waiting = widen(this.waiting, u8);
    this.packets = widen(this.packets, f64);
    this.bytes = widen(this.bytes, f64);
    this.firstSec = widen(this.firstSec, f64);
    this.firstNsec = widen(this.firstNsec, i32);
    this.lastSec = widen(this.lastSec, f64);
    this.lastNsec = widen(this.lastNsec, i32);
    this.lastT = widen(this.lastT, f64);
    this.older = widen(this.older, i32);
    this.newer = widen(this.newer, i32);
    this.srcId = widen(this.srcId, i32);
    this.dstId = widen(this.dstId, i32);
    // Two buckets per slot keeps chains short; every slot is in use when growing, so re-index all.
    this.buckets = new Int32Array(cap * 2).fill(NONE);
    this.mask = cap * 2 - 1;
    for (let i = 0; i < this.used; i++) {
      const b = (this.hashes[i] as number) & this.mask;
      this.chain[i] = this.buckets[b] as number;
      this.buckets[b] = i;
    }
    this.cap = cap;
  }
}
