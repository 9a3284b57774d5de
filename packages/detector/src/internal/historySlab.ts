/**
 * Shared storage for every pair's ring buffers: chunks of `chunkSlots x cap` Uint32 cells for
 * timestamps and sizes. A pair holds a slot; freed slots are reused, so memory only grows up to
 * the pair cap and then stays flat. One slab instead of two typed arrays per pair saves the
 * ~200 bytes of heap each typed-array/ArrayBuffer pair costs.
 */
export class HistorySlab {
  private readonly chunksTs: Uint32Array[] = [];
  private readonly chunksSz: Uint32Array[] = [];
  private readonly free: number[] = [];
  private next = 0;

  constructor(
    /** Entries per pair (maxHistory). */
    readonly cap: number,
    private readonly chunkSlots: number,
  ) {}

  /** Takes a free slot, growing by one chunk when none is left. */
  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.next++;
    if (slot >= this.chunksTs.length * this.chunkSlots) {
      this.chunksTs.push(new Uint32Array(this.chunkSlots * this.cap));
      this.chunksSz.push(new Uint32Array(this.chunkSlots * this.cap));
    }
    return slot;
  }

  /** Makes slots [0, n) allocated (for a re-slab that keeps slots), those with `free[i]` on the free list. */
  reserve(n: number, free: readonly boolean[]): void {
    this.next = n;
    while (this.chunksTs.length * this.chunkSlots < n) {
      this.chunksTs.push(new Uint32Array(this.chunkSlots * this.cap));
      this.chunksSz.push(new Uint32Array(this.chunkSlots * this.cap));
    }
    this.free.length = 0;
    for (let i = n - 1; i >= 0; i--) if (free[i]) this.free.push(i);
  }

  /** Returns a slot for reuse. */
  release(slot: number): void {
    this.free.push(slot);
  }

  /** Timestamp chunk of a slot. */
  tsOf(slot: number): Uint32Array {
    return this.chunksTs[Math.floor(slot / this.chunkSlots)] as Uint32Array;
  }

  /** Size chunk of a slot. */
  szOf(slot: number): Uint32Array {
    return this.chunksSz[Math.floor(slot / this.chunkSlots)] as Uint32Array;
  }

  /** Offset of a slot inside its chunk. */
  offsetOf(slot: number): number {
    return (slot % this.chunkSlots) * this.cap;
  }

  /** Bytes of typed-array storage held (off the JS heap). */
  get bytes(): number {
    return this.chunksTs.length * this.chunkSlots * this.cap * 8;
  }
}
