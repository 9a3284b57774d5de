import { SourceError } from '../errors.js';
import { MAX_RECORD, type CaptureHandler, type CaptureParser } from './capture.js';

const u32le = (b: Buffer, i: number): number =>
  ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;
const u32be = (b: Buffer, i: number): number =>
  (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;

/**
 * Classic libpcap files: a 24-byte global header, then 16-byte record headers each followed by
 * the captured bytes. Either byte order; microsecond (a1b2c3d4) or nanosecond (a1b23c4d) times.
 */
export class PcapClassicParser implements CaptureParser {
  private started = false;
  private le = true;
  private nano = false;
  private linkType = 1;
  private capLimit = 262_144;
  private resyncing = false;
  private lastSec = -1;
  private readonly handler: CaptureHandler;
  private readonly name: string;

  constructor(handler: CaptureHandler, name: string) {
    this.handler = handler;
    this.name = name;
  }

  /** Link type from the global header (after the first `parse`). */
  get link(): number {
    return this.linkType;
  }

  private header(buf: Buffer): void {
    if (buf.length < 24) throw new SourceError('BAD_HEADER', `${this.name}: pcap global header cut short (${buf.length} bytes)`);
    const magic = buf.readUInt32LE(0);
    if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) this.le = true;
    else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) this.le = false;
    else throw new SourceError('BAD_HEADER', `${this.name}: not a pcap file (magic 0x${magic.toString(16)})`);
    this.nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
    const snaplen = this.le ? buf.readUInt32LE(16) : buf.readUInt32BE(16);
    // The link type is the low 16 bits; the upper bits may carry FCS information.
    this.linkType = (this.le ? buf.readUInt32LE(20) : buf.readUInt32BE(20)) & 0xffff;
    this.capLimit = Math.min(MAX_RECORD, Math.max(snaplen, 262_144));
    this.started = true;
  }

  private u32(buf: Buffer, i: number): number {
    return this.le ? u32le(buf, i) : u32be(buf, i);
  }

  /** Whether a record header at `pos` is believable enough to resume at after damage. */
  private plausible(buf: Buffer, pos: number): boolean {
    const frac = this.u32(buf, pos + 4);
    const incl = this.u32(buf, pos + 8);
    if (frac >= (this.nano ? 1e9 : 1e6) || incl > this.capLimit) return false;
    const sec = this.u32(buf, pos);
    const orig = this.u32(buf, pos + 12);
    return incl <= orig && orig <= 262_144 && (this.lastSec < 0 || Math.abs(sec - this.lastSec) <= 86_400);
  }

  /** Scans for the next plausible record (confirmed by the one after it). Returns its position, or -1 for "need more bytes". */
  private resync(buf: Buffer, pos: number, eof: boolean): number {
    for (; pos + 16 <= buf.length; pos++) {
      if (!this.plausible(buf, pos)) continue;
      const next = pos + 16 + this.u32(buf, pos + 8);
      if (next + 16 <= buf.length) {
        if (this.plausible(buf, next)) return pos;
      } else if (!eof) {
        return -1 - pos;
      } else if (next === buf.length) {
        return pos;
      }
    }
    return eof ? buf.length : -1 - pos;
  }

  parse(buf: Buffer, base: number, eof: boolean): number {
    let pos = 0;
    if (!this.started) {
      if (buf.length < 24 && !eof) return 0;
      this.header(buf);
      pos = 24;
    }
    const h = this.handler;
    const le = this.le;
    const fracLimit = this.nano ? 1e9 : 1e6;
    for (;;) {
      if (this.resyncing) {
        const at = this.resync(buf, pos, eof);
        if (at < 0) return -1 - at;
        pos = at;
        this.resyncing = false;
        if (pos >= buf.length) return buf.length;
      }
      if (pos + 16 > buf.length) {
        if (eof && pos < buf.length) {
          h.problem({ kind: 'truncated_record', offset: base + pos, message: `file ends ${buf.length - pos} bytes into a 16-byte record header` });
          return buf.length;
        }
        return pos;
      }
      const sec = le ? u32le(buf, pos) : u32be(buf, pos);
      const frac = le ? u32le(buf, pos + 4) : u32be(buf, pos + 4);
      const incl = le ? u32le(buf, pos + 8) : u32be(buf, pos + 8);
      if (frac >= fracLimit || incl > this.capLimit) {
        h.problem({ kind: 'garbled_record', offset: base + pos, message: 'record header makes no sense; skipping to the next plausible record' });
        this.resyncing = true;
        pos++;
        continue;
      }
      const nsec = this.nano ? frac : frac * 1000;
      const data = pos + 16;
      if (data + incl > buf.length) {
        if (!eof) return pos;
        const have = buf.length - data;
        h.problem({ kind: 'truncated_record', offset: base + pos, message: `last record declares ${incl} bytes, file has ${have}; decoding what is there` });
        h.packet(this.linkType, 0, buf, data, have, sec, nsec, base + pos);
        return buf.length;
      }
      this.lastSec = sec;
      h.packet(this.linkType, 0, buf, data, incl, sec, nsec, base + pos);
      pos = data + incl;
    }
  }
}
