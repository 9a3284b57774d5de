import { canonicalIp, ipv4Text } from '@beacon/detector';
import { eveProtocol } from './eveFlow.js';
import { resetFields, type FlowFields } from './flowFields.js';

// Byte values of the JSON grammar.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT0 = 0x30;
const DIGIT1 = 0x31;
const DIGIT9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const MAX_DEPTH = 64;

/** Which object the scanner is in: the record, its `flow` object, its `tcp` object, or anything else. */
const enum Level {
  Top,
  Flow,
  Tcp,
  Other,
}

/**
 * Key ids: the fields a flow event needs. Grouped by the value they take: the two objects, then
 * counts, then strings ({@link FIRST_COUNT}, {@link FIRST_STRING}).
 */
const enum Key {
  None,
  Flow,
  Tcp,
  SrcPort,
  DestPort,
  PktsToServer,
  PktsToClient,
  BytesToServer,
  BytesToClient,
  SrcIp,
  DestIp,
  Proto,
  Start,
  End,
  TcpFlags,
  TcpFlagsTs,
  TcpFlagsTc,
}
const FIRST_COUNT = Key.SrcPort;
const FIRST_STRING = Key.SrcIp;

interface KeyEntry {
  bytes: Uint8Array;
  id: Key;
}

/** Per level, per key length: the candidate keys' bytes and ids (two or three compares at most). */
const KEY_TABLE: Array<Array<KeyEntry[] | undefined>> = [[], [], []];
function addKeys(level: Level, list: Array<[string, Key]>): void {
  const byLength = KEY_TABLE[level] as Array<KeyEntry[] | undefined>;
  for (const [name, id] of list) (byLength[name.length] ??= []).push({ bytes: Buffer.from(name, 'latin1'), id });
}
addKeys(Level.Top, [['src_ip', Key.SrcIp], ['src_port', Key.SrcPort], ['dest_ip', Key.DestIp], ['dest_port', Key.DestPort], ['proto', Key.Proto], ['flow', Key.Flow], ['tcp', Key.Tcp]]);
addKeys(Level.Flow, [['pkts_toserver', Key.PktsToServer], ['pkts_toclient', Key.PktsToClient], ['bytes_toserver', Key.BytesToServer], ['bytes_toclient', Key.BytesToClient], ['start', Key.Start], ['end', Key.End]]);
addKeys(Level.Tcp, [['tcp_flags', Key.TcpFlags], ['tcp_flags_ts', Key.TcpFlagsTs], ['tcp_flags_tc', Key.TcpFlagsTc]]);

function keyOf(level: number, buf: Buffer, ks: number, ke: number): Key {
  if (level === Level.Other) return Key.None;
  const candidates = (KEY_TABLE[level] as Array<KeyEntry[] | undefined>)[ke - ks];
  if (candidates === undefined) return Key.None;
  for (let k = 0; k < candidates.length; k++) {
    const entry = candidates[k] as KeyEntry;
    const bytes = entry.bytes;
    let i = 0;
    while (i < bytes.length && buf[ks + i] === bytes[i]) i++;
    if (i === bytes.length) return entry.id;
  }
  return Key.None;
}

/** A hex digit's value, or -1. */
function hex(c: number): number {
  if (c >= DIGIT0 && c <= DIGIT9) return c - DIGIT0;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The first index at or after `p` that is not JSON whitespace (or `end`). */
function skipSpace(buf: Buffer, p: number, end: number): number {
  while (p < end && isSpace(buf[p] as number)) p++;
  return p;
}

/** 1 for the bytes that end the plain run of a JSON string: the quote, a backslash, control characters. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/**
 * The rest of a string from `buf[i]`, a byte the plain run stopped at that is not the closing
 * quote: validates escapes (as JSON.parse would) up to the closing quote and returns its index,
 * or -1 when the string is not valid JSON before `end`.
 */
function escapedStringEnd(buf: Buffer, i: number, end: number): number {
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      if (++i >= end) return -1;
      const x = buf[i];
      if (x === 0x75 /* u */) {
        if (i + 4 >= end) return -1;
        for (let k = 1; k <= 4; k++) if (hex(buf[i + k] as number) < 0) return -1;
        i += 4;
      } else if (x !== QUOTE && x !== BACKSLASH && x !== 0x2f && x !== 0x62 && x !== 0x66 && x !== 0x6e && x !== 0x72 && x !== 0x74) return -1;
    } else if (c < 0x20) return -1;
  }
  return -1;
}

/** The index just past the fraction and exponent of a number, from its `.`/`e`/`E` at `buf[i]`; -1 when malformed. */
function fractionEnd(buf: Buffer, i: number, end: number): number {
  let c: number;
  if (buf[i] === DOT) {
    const from = ++i;
    while (i < end && (c = buf[i] as number) >= DIGIT0 && c <= DIGIT9) i++;
    if (i === from) return -1;
  }
  if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
    i++;
    if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    const from = i;
    while (i < end && (c = buf[i] as number) >= DIGIT0 && c <= DIGIT9) i++;
    if (i === from) return -1;
  }
  return i;
}

/** The index just past `true`, `false` or `null` at `buf[p]`, or -1. */
function literalEnd(buf: Buffer, p: number, end: number): number {
  const c = buf[p];
  if (c === 0x74 /* true */) return p + 4 <= end && buf[p + 1] === 0x72 && buf[p + 2] === 0x75 && buf[p + 3] === 0x65 ? p + 4 : -1;
  if (c === 0x6e /* null */) return p + 4 <= end && buf[p + 1] === 0x75 && buf[p + 2] === 0x6c && buf[p + 3] === 0x6c ? p + 4 : -1;
  if (c === 0x66 /* false */) return p + 5 <= end && buf[p + 1] === 0x61 && buf[p + 2] === 0x6c && buf[p + 3] === 0x73 && buf[p + 4] === 0x65 ? p + 5 : -1;
  return -1;
}

/** Buffer's own latin1 slice where present: `toString('latin1', ...)` checks its arguments and looks up the encoding first. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Buffer, start: number, end: number) => string }).latin1Slice;
function latin1(buf: Buffer, s: number, e: number): string {
  return latin1Slice === undefined ? buf.toString('latin1', s, e) : latin1Slice.call(buf, s, e);
}

/** Direct-mapped cache size of address texts (one slot per hash, newest wins). */
const IP_SLOTS = 1 << 16;

/**
 * Reads the fields of a compact EVE `flow` line straight from its bytes, without JSON.parse:
 * one pass over the line that checks the JSON grammar as strictly as JSON.parse does, skips
 * every value it does not need and decodes only the addresses, times, counts and flags. It is
 * one loop over local variables with an explicit stack of open containers, rather than a
 * function per grammar rule: JSON.parse of a 550-byte flow record costs more than all the rest
 * of the reader, and so did a recursive scanner.
 *
 * `scan` returns false when the line is not valid JSON or uses something the scanner leaves to
 * JSON.parse (escapes inside a needed string, a needed string field holding another type,
 * nesting deeper than 64): the caller then takes the slow path, which also words the error.
 */
export class FlowLineScanner {
  readonly fields: FlowFields;
  /** Per open container: 1 for an object, 0 for an array; and its {@link Level}. */
  private readonly isObject = new Uint8Array(MAX_DEPTH + 2);
  private readonly levels = new Uint8Array(MAX_DEPTH + 2);
  private readonly ipKeys = new Int32Array(IP_SLOTS);
  private readonly ipTexts: (string | undefined)[] = new Array<string | undefined>(IP_SLOTS).fill(undefined);

  constructor(fields: FlowFields) {
    this.fields = fields;
  }

  scan(buf: Buffer, start: number, end: number): boolean {
    const f = this.fields;
    resetFields(f);
    const isObject = this.isObject;
    const levels = this.levels;
    const stop = STRING_STOP;
    let p = skipSpace(buf, start, end);
    if (p >= end || buf[p] !== LBRACE) return false;
    p++;
    let depth = 1;
    isObject[1] = 1;
    levels[1] = Level.Top;
    /** Just after `{` or `[`: the container may close at once. */
    let open = true;
    outer: for (;;) {
      // One member of an object (key, colon, value) or one element of an array, then what follows it.
      if (p >= end) return false;
      let c = buf[p] as number;
      if (c <= 0x20) {
        p = skipSpace(buf, p, end);
        if (p >= end) return false;
        c = buf[p] as number;
      }
      const inObject = isObject[depth] === 1;
      value: {
        if (open) {
          open = false;
          if (c === (inObject ? RBRACE : RBRACKET)) {
            p++;
            if (--depth === 0) break outer;
            break value;
          }
        }
        let key: Key = Key.None;
        if (inObject) {
          if (c !== QUOTE) return false;
          const ks = p + 1;
          let q = ks;
          while (q < end && stop[buf[q] as number] === 0) q++;
          if (q >= end) return false;
          if (buf[q] === QUOTE) {
            const level = levels[depth] as number;
            if (level !== Level.Other) key = keyOf(level, buf, ks, q);
          } else {
            q = escapedStringEnd(buf, q, end);
            if (q < 0) return false;
          }
          p = q + 1;
          if (p < end && buf[p] !== COLON) p = skipSpace(buf, p, end);
          if (p >= end || buf[p] !== COLON) return false;
          p++;
          if (p >= end) return false;
          c = buf[p] as number;
          if (c <= 0x20) {
            p = skipSpace(buf, p, end);
            if (p >= end) return false;
            c = buf[p] as number;
          }
        }
        if (c === QUOTE) {
          const s = p + 1;
          let q = s;
          while (q < end && stop[buf[q] as number] === 0) q++;
          if (q >= end) return false;
          let escaped = false;
          if (buf[q] !== QUOTE) {
            q = escapedStringEnd(buf, q, end);
            if (q < 0) return false;
            escaped = true;
          }
          p = q + 1;
          if (key >= FIRST_STRING) {
            // Escapes in a needed value: let JSON.parse decode it.
            if (escaped) return false;
            this.setString(key, buf, s, q);
          } else if (key >= FIRST_COUNT) this.setCount(key, -1);
        } else if (c === MINUS || (c >= DIGIT0 && c <= DIGIT9)) {
          let i = p;
          let whole = true;
          let v = 0;
          if (c === MINUS) {
            whole = false;
            if (++i >= end) return false;
            c = buf[i] as number;
          }
          if (c === DIGIT0) i++;
          else if (c >= DIGIT1 && c <= DIGIT9) {
            do {
              v = v * 10 + (c - DIGIT0);
              i++;
            } while (i < end && (c = buf[i] as number) >= DIGIT0 && c <= DIGIT9);
          } else return false;
          if (i < end && ((c = buf[i] as number) === DOT || c === LOWER_E || c === UPPER_E)) {
            i = fractionEnd(buf, i, end);
            if (i < 0) return false;
            whole = false;
          }
          p = i;
          if (key >= FIRST_STRING) return false;
          if (key >= FIRST_COUNT) {
            // A sign, fraction, exponent or more than 2^53: JSON.parse's number decides (2e3 is a count).
            if (!whole || v > Number.MAX_SAFE_INTEGER) return false;
            this.setCount(key, v);
          }
        } else if (c === LBRACE || c === LBRACKET) {
          if (depth === MAX_DEPTH) return false;
          depth++;
          p++;
          open = true;
          if (c === LBRACE) {
            isObject[depth] = 1;
            let level = Level.Other;
            if (key === Key.Flow) {
              level = Level.Flow;
              f.hasFlow = true;
            } else if (key === Key.Tcp) {
              level = Level.Tcp;
              f.hasTcp = true;
            } else if (key >= FIRST_STRING) return false;
            else if (key >= FIRST_COUNT) this.setCount(key, -1);
            levels[depth] = level;
          } else {
            if (key >= FIRST_STRING) return false;
            if (key >= FIRST_COUNT) this.setCount(key, -1);
            isObject[depth] = 0;
          }
          continue;
        } else {
          const n = literalEnd(buf, p, end);
          if (n < 0 || key >= FIRST_STRING) return false;
          if (key >= FIRST_COUNT) this.setCount(key, -1);
          p = n;
        }
      }
      // After a value: a comma (next member) or the end of one or more containers.
      for (;;) {
        if (p >= end) return false;
        let c = buf[p] as number;
        if (c <= 0x20) {
          p = skipSpace(buf, p, end);
          if (p >= end) return false;
          c = buf[p] as number;
        }
        p++;
        if (c === COMMA) continue outer;
        if (c !== (isObject[depth] === 1 ? RBRACE : RBRACKET)) return false;
        if (--depth === 0) break outer;
      }
    }
    return skipSpace(buf, p, end) === end;
  }

  private setCount(key: Key, v: number): void {
    const f = this.fields;
    switch (key) {
      case Key.SrcPort:
        f.srcPort = v;
        return;
      case Key.DestPort:
        f.dstPort = v;
        return;
      case Key.PktsToServer:
        f.pktsToServer = v;
        return;
      case Key.PktsToClient:
        f.pktsToClient = v;
        return;
      case Key.BytesToServer:
        f.bytesToServer = v;
        return;
      default:
        f.bytesToClient = v;
    }
  }

  /**
   * Canonical text of the address in `buf[s, e)`; null when it is not one. Dotted IPv4 text
   * without leading zeros is already canonical: it is taken from the bytes (one flat string)
   * and remembered by value, since hosts repeat across records.
   */
  private ip(buf: Buffer, s: number, e: number): string | null {
    let v = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    let canonical = true;
    for (let i = s; i < e; i++) {
      const c = buf[i] as number;
      if (c === DOT) {
        if (digits === 0 || dots === 3) return canonicalIp(buf.toString('latin1', s, e)) ?? null;
        v = v * 256 + octet;
        octet = 0;
        digits = 0;
        dots++;
      } else {
        const d = c - DIGIT0;
        if (d < 0 || d > 9 || digits === 3) return canonicalIp(buf.toString('latin1', s, e)) ?? null;
        if (digits === 1 && octet === 0) canonical = false;
        octet = octet * 10 + d;
        if (octet > 255) return null;
        digits++;
      }
    }
    if (dots !== 3 || digits === 0) return canonicalIp(buf.toString('latin1', s, e)) ?? null;
    v = v * 256 + octet;
    const slot = Math.imul(v, 0x9e3779b1) >>> 16;
    const cached = this.ipTexts[slot];
    if (cached !== undefined && this.ipKeys[slot] === (v | 0)) return cached;
    const text = canonical ? latin1(buf, s, e) : ipv4Text(v);
    this.ipKeys[slot] = v;
    this.ipTexts[slot] = text;
    return text;
  }

  /** Stores a string value found at [s, e). */
  private setString(key: Key, buf: Buffer, s: number, e: number): void {
    const f = this.fields;
    switch (key) {
      case Key.SrcIp:
        f.srcIp = this.ip(buf, s, e);
        return;
      case Key.DestIp:
        f.dstIp = this.ip(buf, s, e);
        return;
      case Key.Proto: {
        // TCP and UDP compared on the bytes (no string per line); anything else by its text.
        const tcp = e - s === 3 && buf[s] === 0x54 && buf[s + 1] === 0x43 && buf[s + 2] === 0x50;
        if (tcp || (e - s === 3 && buf[s] === 0x55 && buf[s + 1] === 0x44 && buf[s + 2] === 0x50)) {
          f.protoText = tcp ? 'TCP' : 'UDP';
          f.protocol = tcp ? 6 : 17;
          return;
        }
        const text = buf.toString('utf8', s, e);
        f.protoText = text;
        f.protocol = eveProtocol(text);
        return;
      }
      case Key.Start:
        f.startBuf = buf;
        f.startAt = s;
        f.startEnd = e;
        return;
      case Key.End:
        f.endBuf = buf;
        f.endAt = s;
        f.endEnd = e;
        return;
      default: {
        let v = -1;
        if (e - s >= 1 && e - s <= 2) {
          const a = hex(buf[s] as number);
          const b = e - s === 2 ? hex(buf[s + 1] as number) : 0;
          if (a >= 0 && b >= 0) v = e - s === 2 ? a * 16 + b : a;
        }
        if (key === Key.TcpFlags) f.tcpFlags = v;
        else if (key === Key.TcpFlagsTs) f.flagsToServer = v;
        else f.flagsToClient = v;
      }
    }
  }
}
