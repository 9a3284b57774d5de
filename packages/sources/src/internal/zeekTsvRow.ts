import type { ConnectionEvent } from '@beacon/detector';
import { parseTime, parseUint, type TimeOut } from './decimal.js';
import { MAX_DURATION_SECONDS, MAX_EPOCH_SECONDS } from './timeBounds.js';
import { canonicalIp, Ipv4TextCache, parseIpv4BytesInt32 } from '@beacon/detector';
import { historyFlags, zeekDirection, zeekEvent, zeekFailed, zeekProtocol } from './zeekEvent.js';
import type { ZeekLayout } from './zeekLayout.js';
import { eventBits, type RowWriter } from '../columns.js';

/** Parses TSV data rows under the current layout; one instance per reader, reused per row. */
export class TsvRowParser {
  layout: ZeekLayout;
  /** Why the last row failed, when `parse` returned undefined. */
  error = '';
  /** `label`/`detailedlabel` of the last row (when wanted and present). */
  label: string | undefined;
  detailedLabel: string | undefined;
  /** `uid` of the last row, when {@link TsvRowParser.wantUid} is set and the log has one. */
  uid: string | undefined;
  /** Read the `uid` column (for joining ssl/http logs); off costs nothing per row. */
  wantUid = false;
  /** Set when the last row was valid but of a protocol that is not turned into events. */
  unknownProtocol = false;
  private readonly node: string;
  private readonly wantLabels: boolean;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private readonly time: TimeOut = { sec: 0, nsec: 0 };
  private readonly dur: TimeOut = { sec: 0, nsec: 0 };
  private readonly v4Text = new Ipv4TextCache();

  constructor(layout: ZeekLayout, node: string, wantLabels: boolean) {
    this.layout = layout;
    this.node = node;
    this.wantLabels = wantLabels;
  }

  private isMarker(buf: Buffer, s: number, e: number, marker: Buffer): boolean {
    if (e - s !== marker.length) return false;
    for (let i = 0; i < marker.length; i++) if (buf[s + i] !== marker[i]) return false;
    return true;
  }

  /** Text of column `c`, undefined when unset or absent; `(empty)` gives ''. */
  private text(buf: Buffer, c: number): string | undefined {
    if (c < 0) return undefined;
    const s = this.starts[c] as number;
    const e = this.ends[c] as number;
    if (this.isMarker(buf, s, e, this.layout.unset)) return undefined;
    if (this.isMarker(buf, s, e, this.layout.empty)) return '';
    return buf.toString('latin1', s, e);
  }

  /** Count column `c`; 0 when unset or absent, -1 when garbled. */
  private count(buf: Buffer, c: number): number {
    if (c < 0) return 0;
    const s = this.starts[c] as number;
    const e = this.ends[c] as number;
    if (this.isMarker(buf, s, e, this.layout.unset)) return 0;
    return parseUint(buf, s, e);
  }

  /** Canonical address text of column `c`: IPv4 checked on the bytes, IPv6 re-written per RFC 5952. */
  private address(buf: Buffer, c: number): string | undefined {
    const s = this.starts[c] as number;
    const e = this.ends[c] as number;
    const v = parseIpv4BytesInt32(buf, s, e);
    if (v === v) return this.v4Text.get(v); // signed or not, the same address
    return canonicalIp(buf.toString('latin1', s, e));
  }

  /** Address id of column `c` in `cols`' table (IPv4 without making its text), -1 when garbled. */
  private addressId(buf: Buffer, c: number, cols: RowWriter<unknown>): number {
    const s = this.starts[c] as number;
    const e = this.ends[c] as number;
    const v = parseIpv4BytesInt32(buf, s, e);
    if (v === v) return cols.ipv4Id(v);
    const text = canonicalIp(buf.toString('latin1', s, e));
    if (text === undefined) return -1;
    this.v6 = text.includes(':');
    return cols.ipId(text);
  }

  /** Whether the last address given an id was IPv6 (only read for `icmp`). */
  private v6 = false;

  /** `proto` compared on the bytes for the common values. */
  private protocol(buf: Buffer, c: number, v6: boolean): number {
    const s = this.starts[c] as number;
    const len = (this.ends[c] as number) - s;
    const c0 = buf[s];
    if (len === 3 && c0 === 0x74 && buf[s + 1] === 0x63 && buf[s + 2] === 0x70) return 6;
    if (len === 3 && c0 === 0x75 && buf[s + 1] === 0x64 && buf[s + 2] === 0x70) return 17;
    return zeekProtocol(this.text(buf, c) ?? '', v6);
  }

  /** {@link zeekFailed} of the row; the two commonest states, SF and S0, compared on the bytes. */
  private failed(buf: Buffer, c: number, respBytes: number, bytes: number): boolean | undefined {
    if (c >= 0) {
      const s = this.starts[c] as number;
      if ((this.ends[c] as number) - s === 2 && buf[s] === 0x53) {
        if (buf[s + 1] === 0x46) return false; // SF
        if (buf[s + 1] === 0x30) return true; // S0
      }
    }
    return zeekFailed(this.text(buf, c), bytes, this.count(buf, respBytes));
  }

  private bool(buf: Buffer, c: number): boolean | undefined {
    if (c < 0 || (this.ends[c] as number) - (this.starts[c] as number) !== 1) return undefined;
    const ch = buf[this.starts[c] as number];
    return ch === 0x54 ? true : ch === 0x46 ? false : undefined;
  }

  private fail(msg: string): undefined {
    this.error = msg;
    return undefined;
  }

  /** Parses a row into an event; undefined (see {@link TsvRowParser.error}) when it gives none. */
  parse(buf: Buffer, start: number, end: number): ConnectionEvent | undefined {
    return this.parseRow(buf, start, end, undefined, 0) as ConnectionEvent | undefined;
  }

  /**
   * Parses a row straight into `cols` (no event object, no address text for IPv4 addresses
   * already in its table), with `nodeId` as its node; false when it gives no event, as
   * {@link TsvRowParser.parse}.
   */
  parseInto(buf: Buffer, start: number, end: number, cols: RowWriter<unknown>, nodeId: number): boolean {
    return this.parseRow(buf, start, end, cols, nodeId) !== undefined;
  }

  private parseRow(buf: Buffer, start: number, end: number, cols: RowWriter<unknown> | undefined, nodeId: number): ConnectionEvent | true | undefined {
    const { sep, fields, col } = this.layout;
    const n = fields.length;
    if (this.starts.length < n + 1) {
      this.starts = new Int32Array(n + 1);
      this.ends = new Int32Array(n + 1);
    }
    const starts = this.starts;
    const ends = this.ends;
    // A plain byte loop: Buffer#indexOf is a native call per field, several times slower here.
    let k = 0;
    starts[0] = start;
    for (let i = start; i < end; i++) {
      if (buf[i] === sep) {
        if (k < n) ends[k] = i;
        k++;
        if (k < n) starts[k] = i + 1;
      }
    }
    if (k < n) ends[k] = end;
    k++;
    if (k !== n) return this.fail(`expected ${n} columns, found ${k}`);
    this.unknownProtocol = false;
    if (!parseTime(buf, starts[col.ts] as number, ends[col.ts] as number, this.time)) return this.fail('bad ts');
    if (this.time.sec > MAX_EPOCH_SECONDS) return this.fail(`ts beyond ${MAX_EPOCH_SECONDS} (year 5138)`);
    if (this.wantUid) this.uid = col.uid >= 0 ? this.text(buf, col.uid) : undefined;
    let srcIp = '';
    let dstIp = '';
    let srcId = -1;
    let dstId = -1;
    if (cols === undefined) {
      const src = this.address(buf, col.origH);
      const dst = this.address(buf, col.respH);
      if (src === undefined) return this.fail('bad id.orig_h');
      if (dst === undefined) return this.fail('bad id.resp_h');
      srcIp = src;
      dstIp = dst;
    } else {
      this.v6 = false;
      srcId = this.addressId(buf, col.origH, cols);
      if (srcId < 0) return this.fail('bad id.orig_h');
      const v6 = this.v6;
      dstId = this.addressId(buf, col.respH, cols);
      if (dstId < 0) return this.fail('bad id.resp_h');
      this.v6 = v6;
    }
    const srcPort = this.count(buf, col.origP);
    const dstPort = this.count(buf, col.respP);
    if (srcPort < 0 || srcPort > 65535 || dstPort < 0 || dstPort > 65535) return this.fail('bad port');
    const protocol = this.protocol(buf, col.proto, cols === undefined ? srcIp.includes(':') : this.v6);
    const bytes = this.count(buf, col.origBytes);
    const packets = this.count(buf, col.origPkts);
    if (bytes < 0) return this.fail('bad orig_bytes');
    if (packets < 0) return this.fail('bad orig_pkts');
    let duration = -1;
    let durSec = -1;
    if (col.duration >= 0 && !this.isMarker(buf, starts[col.duration] as number, ends[col.duration] as number, this.layout.unset)) {
      if (!parseTime(buf, starts[col.duration] as number, ends[col.duration] as number, this.dur)) return this.fail('bad duration');
      durSec = this.dur.sec;
      if (durSec + this.dur.nsec / 1e9 > MAX_DURATION_SECONDS) return this.fail(`duration beyond ${MAX_DURATION_SECONDS} s (ten years)`);
      if (cols === undefined) duration = durSec + this.dur.nsec / 1e9;
    }
    if (this.wantLabels) {
      this.label = this.text(buf, col.label);
      this.detailedLabel = this.text(buf, col.detailedLabel);
    }
    if (protocol < 0) {
      this.unknownProtocol = true;
      return undefined;
    }
    const flags = protocol === 6 && col.history >= 0 ? historyFlags(buf, this.starts[col.history] as number, this.ends[col.history] as number) : 0;
    const localOrig = this.bool(buf, col.localOrig);
    const localResp = this.bool(buf, col.localResp);
    const direction = zeekDirection(localOrig, localResp);
    // resp_bytes is only read for a reset (RSTO/RSTR) row: whether any data went either way
    const failed = protocol === 6 ? this.failed(buf, col.connState, col.respBytes, bytes) : undefined;
    const t = this.time;
    if (cols !== undefined) {
      const bits = eventBits('flow_start', direction, localOrig, localResp, failed);
      cols.row(t.sec, t.nsec, srcId, dstId, srcPort, dstPort, protocol, bytes, packets, durSec, this.dur.nsec, flags, bits, nodeId);
      return true;
    }
    return zeekEvent(t.sec, t.nsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, flags, this.node, duration, localOrig, localResp, failed);
  }
}
