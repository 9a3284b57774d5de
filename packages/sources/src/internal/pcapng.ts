import { SourceError } from '../errors.js';
import { MAX_RECORD, type CaptureHandler, type CaptureParser } from './capture.js';
import { resolution, splitTimestamp, type SecNsec, type TsResolution } from './pcapngTime.js';
import { MAX_EPOCH_SECONDS } from './timeBounds.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const EPB = 6;
/** Block types accepted as a resynchronisation point after damage. */
const KNOWN = new Set([SHB, IDB, OPB, SPB, 4, 5, EPB]);

interface Iface {
  linkType: number;
  snaplen: number;
  ts: TsResolution;
}

/**
 * pcapng: section header blocks (each sets its byte order), interface description blocks
 * (link type, `if_tsresol`, `if_tsoffset`), enhanced, simple and obsolete packet blocks;
 * every other block type is skipped by its length.
 */
export class PcapngParser implements CaptureParser {
  private le = true;
  private started = false;
  private ifaces: Iface[] = [];
  private resyncing = false;
  private lastSec = 0;
  private lastNsec = 0;
  private readonly time: SecNsec = { sec: 0, nsec: 0 };
  private readonly handler: CaptureHandler;
  private readonly name: string;

  constructor(handler: CaptureHandler, name: string) {
    this.handler = handler;
    this.name = name;
  }

  private u32(buf: Buffer, i: number): number {
    return this.le ? buf.readUInt32LE(i) : buf.readUInt32BE(i);
  }

  private u16(buf: Buffer, i: number): number {
    return this.le ? buf.readUInt16LE(i) : buf.readUInt16BE(i);
  }

  /** Block length at `pos` if the block header looks sane (SHB sets the byte order first), else -1. */
  private blockLength(buf: Buffer, pos: number): number {
    const type = this.u32(buf, pos);
    if (type === SHB) {
      if (pos + 12 > buf.length) return -1;
      const bom = buf.readUInt32LE(pos + 8);
      if (bom === 0x1a2b3c4d) this.le = true;
      else if (bom === 0x4d3c2b1a) this.le = false;
      else return -1;
    }
    const len = this.u32(buf, pos + 4);
    return len >= 12 && len % 4 === 0 && len <= MAX_RECORD ? len : -1;
  }

  parse(buf: Buffer, base: number, eof: boolean): number {
    const h = this.handler;
    let pos = 0;
    if (!this.started) {
      if (buf.length < 12 && !eof) return 0;
      if (buf.length < 12 || buf.readUInt32LE(0) !== SHB || this.blockLength(buf, 0) < 0) {
        throw new SourceError('BAD_HEADER', `${this.name}: pcapng section header block missing or invalid`);
      }
      this.started = true;
    }
    for (;;) {
      if (pos + 12 > buf.length) {
        if (eof && pos < buf.length && !this.resyncing) {
          h.problem({ kind: 'truncated_record', offset: base + pos, message: `file ends ${buf.length - pos} bytes into a block header` });
        }
        return eof ? buf.length : pos;
      }
      const savedLe = this.le;
      const len = this.blockLength(buf, pos);
      const type = len < 0 ? -1 : this.u32(buf, pos);
      // While resynchronising only known block types count, so garbage cannot stall the reader.
      const candidate = len > 0 && (!this.resyncing || KNOWN.has(type));
      if (candidate && pos + len > buf.length) {
        if (!eof) {
          this.le = savedLe;
          return pos;
        }
        if (!this.resyncing) {
          h.problem({ kind: 'truncated_record', offset: base + pos, message: `last block declares ${len} bytes, file has ${buf.length - pos}` });
          return buf.length;
        }
      }
      const ok = candidate && pos + len <= buf.length && this.u32(buf, pos + len - 4) === len;
      if (!ok) {
        this.le = savedLe;
        if (!this.resyncing) {
          h.problem({ kind: 'garbled_record', offset: base + pos, message: 'block header makes no sense; skipping to the next plausible block' });
          this.resyncing = true;
        }
        // Blocks are 32-bit aligned, so the next candidate is 4 bytes on.
        pos += 4;
        continue;
      }
      this.resyncing = false;
      this.block(type, buf, pos, len, base);
      pos += len;
    }
  }

  private block(type: number, buf: Buffer, pos: number, len: number, base: number): void {
    switch (type) {
      case SHB:
        this.ifaces = [];
        return;
      case IDB:
        this.ifaces.push(this.interfaceBlock(buf, pos, len));
        return;
      case EPB:
      case OPB: {
        const iface = type === EPB ? this.u32(buf, pos + 8) : this.u16(buf, pos + 8);
        const caplen = this.u32(buf, pos + 20);
        const info = this.ifaces[iface];
        if (info === undefined || caplen > len - 32) {
          const why = info === undefined ? `unknown interface ${iface}` : `captured length ${caplen} exceeds the block`;
          this.handler.problem({ kind: 'garbled_record', offset: base + pos, message: `packet block: ${why}` });
          return;
        }
        splitTimestamp(this.u32(buf, pos + 12), this.u32(buf, pos + 16), info.ts, this.time);
        if (!(this.time.sec >= 0 && this.time.sec <= MAX_EPOCH_SECONDS)) {
          // ts_high 0xFFFFFFFF, or a binary if_tsresol that turns the counts into centuries
          this.handler.problem({ kind: 'garbled_record', offset: base + pos, message: `packet block: timestamp ${this.time.sec} s is beyond year 5138 (ts_high ${this.u32(buf, pos + 12)}, if_tsresol of interface ${iface})` });
          return;
        }
        this.lastSec = this.time.sec;
        this.lastNsec = this.time.nsec;
        this.handler.packet(info.linkType, iface, buf, pos + 28, caplen, this.time.sec, this.time.nsec, base + pos);
        return;
      }
      case SPB: {
        const info = this.ifaces[0];
        if (info === undefined) {
          this.handler.problem({ kind: 'garbled_record', offset: base + pos, message: 'simple packet block before any interface' });
          return;
        }
        let caplen = Math.min(this.u32(buf, pos + 8), len - 16);
        if (info.snaplen > 0) caplen = Math.min(caplen, info.snaplen);
        // Simple packet blocks carry no time: the previous packet's time is the best known.
        this.handler.packet(info.linkType, 0, buf, pos + 12, caplen, this.lastSec, this.lastNsec, base + pos);
        return;
      }
      default:
        return;
    }
  }

  private interfaceBlock(buf: Buffer, pos: number, len: number): Iface {
    const linkType = this.u16(buf, pos + 8);
    const snaplen = this.u32(buf, pos + 12);
    let tsresol = 6;
    let offsetSec = 0;
    const end = pos + len - 4;
    for (let o = pos + 16; o + 4 <= end; ) {
      const code = this.u16(buf, o);
      const olen = this.u16(buf, o + 2);
      if (code === 0 || o + 4 + olen > end) break;
      if (code === 9 && olen >= 1) tsresol = buf[o + 4] as number;
      if (code === 14 && olen >= 8) {
        offsetSec = Number(this.le ? buf.readBigInt64LE(o + 4) : buf.readBigInt64BE(o + 4));
      }
      o += 4 + ((olen + 3) & ~3);
    }
    return { linkType, snaplen, ts: resolution(tsresol, offsetSec) };
  }
}
