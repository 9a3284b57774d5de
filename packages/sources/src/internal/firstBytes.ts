import { CLIENT_HELLO_MAX_BYTES } from '../names/parseClientHelloSni.js';

/** Bytes of a flow's first client payload kept to find its server name: one full TLS record (16 KiB and its header). */
export const FIRST_BYTES_MAX: number = CLIENT_HELLO_MAX_BYTES;
/** Client segments looked at (in order, out of order or repeated) before giving up on a name. */
export const FIRST_BYTES_MAX_SEGMENTS = 16;

/** What {@link FirstBytes.add} made of a segment. */
export const Segment = {
  /** The bytes in order from the start grew: parse again. */
  Grew: 0,
  /** Held ahead of a gap (out of order): wait for the gap to fill. */
  Ahead: 1,
  /** Nothing new: a retransmission, or bytes before the start or beyond the bound. */
  Repeated: 2,
} as const;
/** One of the {@link Segment} values. */
export type Segment = (typeof Segment)[keyof typeof Segment];

/**
 * Reassembles the first bytes of a TCP flow's client payload by sequence number, bounded by
 * {@link FIRST_BYTES_MAX}: segments may arrive out of order or repeated (retransmissions), and
 * overlapping bytes are written once. `prefix()` is what has arrived in order from the start.
 * The start is the byte after the client's SYN; a capture without a consistent sequence (the
 * first data segment far outside the window) starts at that segment instead.
 */
export class FirstBytes {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes in order from the start. */
  have = 0;
  /** Received ranges beyond `have`, as sorted, disjoint [start, end) pairs. */
  private ahead: number[] = [];
  /** Segments added (counting repeats). */
  segments = 0;
  private base: number;
  private started = false;

  /** @param isn the client's initial sequence number (its SYN's), so the payload starts at `isn + 1` */
  constructor(isn: number) {
    this.base = (isn + 1) >>> 0;
  }

  /** Adds the captured bytes `data[at, end)` of a client segment with sequence number `seq`. */
  add(seq: number, data: Uint8Array, at: number, end: number): Segment {
    this.segments++;
    let off = (seq - this.base) >>> 0;
    if (!this.started) {
      this.started = true;
      // No segment yet: one far outside the window means the SYN's sequence does not hold (a
      // capture that rewrote or never set it): the payload starts here.
      if (off >= FIRST_BYTES_MAX) {
        this.base = seq >>> 0;
        off = 0;
      }
    }
    // A sequence before the start wraps to a huge offset: old bytes, nothing new.
    if (off >= FIRST_BYTES_MAX) return Segment.Repeated;
    const stop = Math.min(FIRST_BYTES_MAX, off + (end - at));
    if (stop <= off) return Segment.Repeated;
    if (stop <= this.have || this.covered(off, stop)) return Segment.Repeated;
    if (this.buf.length < stop) {
      const grown = Buffer.alloc(Math.min(FIRST_BYTES_MAX, Math.max(stop, this.buf.length * 2, 2048)));
      this.buf.copy(grown, 0, 0, this.buf.length);
      this.buf = grown;
    }
    this.buf.set(data.subarray(at, at + (stop - off)), off);
    if (off > this.have) {
      this.insert(off, stop);
      return Segment.Ahead;
    }
    this.have = Math.max(this.have, stop);
    // Held ranges the new bytes reach join the prefix.
    const a = this.ahead;
    let i = 0;
    while (i < a.length && (a[i] as number) <= this.have) {
      this.have = Math.max(this.have, a[i + 1] as number);
      i += 2;
    }
    if (i > 0) a.splice(0, i);
    return Segment.Grew;
  }

  /** The bytes in order from the start (a view, valid until the next `add`). */
  prefix(): Buffer {
    return this.buf.subarray(0, this.have);
  }

  /** Whether more bytes could still be taken. */
  get full(): boolean {
    return this.have >= FIRST_BYTES_MAX || this.segments >= FIRST_BYTES_MAX_SEGMENTS;
  }

  private covered(start: number, stop: number): boolean {
    const a = this.ahead;
    for (let i = 0; i < a.length; i += 2) if ((a[i] as number) <= start && stop <= (a[i + 1] as number)) return true;
    return false;
  }

  private insert(start: number, stop: number): void {
    const a = this.ahead;
    const out: number[] = [];
    let s = start;
    let e = stop;
    let placed = false;
    for (let i = 0; i < a.length; i += 2) {
      const rs = a[i] as number;
      const re = a[i + 1] as number;
      if (re < s) out.push(rs, re);
      else if (e < rs) {
        if (!placed) {
          out.push(s, e);
          placed = true;
        }
        out.push(rs, re);
      } else {
        s = Math.min(s, rs);
        e = Math.max(e, re);
      }
    }
    if (!placed) out.push(s, e);
    this.ahead = out;
  }
}
