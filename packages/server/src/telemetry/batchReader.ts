import { BACKSLASH, CARRIAGE_RETURN, CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, DIGIT_0, DIGIT_1, DIGIT_9, DOT, LINE_FEED, LOWER_A, LOWER_B, LOWER_E, LOWER_F, LOWER_L, LOWER_N, LOWER_R, LOWER_S, LOWER_T, LOWER_U, MINUS, NON_ASCII, OPEN_ARR, OPEN_OBJ, PLUS, QUOTE, SLASH, SPACE, TAB, UPPER_A, UPPER_E, UPPER_F } from './jsonBytes.js';
import type { WireFields } from './decode.js';

/**
 * Thrown (as this one object) when the fast reader meets anything it does not handle: a
 * syntax error, an escaped key, very deep nesting, `events` that is not an array. The caller
 * then parses the body the general way, which gives the exact JSON error and its position.
 */
export const BAIL: Error = new Error('telemetry body needs the general parser');

const MAX_DEPTH = 256;
const F_NONE = 0;
const F_TS = 1;
const F_SRC = 2;
const F_DST = 3;
const F_SPORT = 4;
const F_DPORT = 5;
const F_SIZE = 6;
const F_PROTO = 7;
const F_FLAGS = 8;
const F_DIR = 9;
const F_NODE = 10;
const F_KIND = 11;
const F_PACKETS = 12;
const F_DURATION = 13;
const F_NAME = 14;

const KEYS: ReadonlyArray<readonly [string, number]> = [
  ['timestamp_ns', F_TS],
  ['src_ip', F_SRC],
  ['dst_ip', F_DST],
  ['src_port', F_SPORT],
  ['dst_port', F_DPORT],
  ['packet_size', F_SIZE],
  ['protocol', F_PROTO],
  ['tcp_flags', F_FLAGS],
  ['direction', F_DIR],
  ['node_id', F_NODE],
  ['kind', F_KIND],
  ['packets', F_PACKETS],
  ['duration_seconds', F_DURATION],
  ['server_name', F_NAME],
];
/** Known keys by length, then first byte: a two-level table avoids building key strings. */
const BY_LENGTH: Array<Array<Array<readonly [Uint8Array, number]>>> = [];
for (const [name, id] of KEYS) {
  const row = (BY_LENGTH[name.length] ??= []);
  (row[name.charCodeAt(0)] ??= []).push([new Uint8Array(Buffer.from(name, 'latin1')), id]);
}

/** `Buffer#latin1Slice`: the binding behind `toString('latin1', start, end)` without its argument checks. */
type Latin1 = { latin1Slice(start: number, end: number): string };
const latin1 = (b: Buffer, start: number, end: number): string => (b as unknown as Latin1).latin1Slice(start, end);

/** Any object or array value: every field check refuses it, whatever its content. */
const COMPOSITE: object = Object.freeze({});

/**
 * A strict, allocation-light JSON reader for telemetry bodies. It reads the event objects
 * straight into {@link WireFields} (values typed exactly as `JSON.parse` would give them),
 * skipping fields it does not need without building strings, and reads the `events` array a
 * slice at a time so the caller can yield between slices. It throws {@link BAIL} on anything
 * unusual; it never accepts a body `JSON.parse` would refuse.
 */
export class BatchReader {
  readonly #b: Buffer;
  #i = 0;
  /** Offset of the `[` of `events` and of its `]`; -1 until found. */
  eventsStart = -1;
  eventsEnd = -1;
  /** Events read so far. */
  count = 0;
  /** The last string read per field id (see #cachedString). */
  readonly #last: Array<string | undefined> = new Array<string | undefined>(F_NAME + 1).fill(undefined);

  constructor(body: Buffer) {
    this.#b = body;
  }

  #ws(): number {
    const b = this.#b;
    let i = this.#i;
    let c = b[i];
    while (c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB) c = b[++i];
    this.#i = i;
    return c ?? -1;
  }

  /** Reads the top level up to the first event (or the end of an empty `events`). */
  begin(): void {
    if (this.#ws() !== OPEN_OBJ) throw BAIL;
    this.#i++;
    if (this.#ws() === CLOSE_OBJ) throw BAIL; // no events: the general path says so
    for (;;) {
      if (this.#ws() !== QUOTE) throw BAIL;
      const isEvents = this.#keyIs('events');
      if (this.#ws() !== COLON) throw BAIL;
      this.#i++;
      const c = this.#ws();
      if (isEvents) {
        if (c !== OPEN_ARR || this.eventsStart >= 0) throw BAIL;
        this.eventsStart = this.#i++;
        if (this.#ws() === CLOSE_ARR) this.eventsEnd = this.#i++;
        return;
      }
      this.#skip(0);
      const next = this.#ws();
      this.#i++;
      if (next === CLOSE_OBJ) throw BAIL; // no events array
      if (next !== COMMA) throw BAIL;
    }
  }

  /** True while events remain. */
  get more(): boolean {
    return this.eventsEnd < 0;
  }

  /**
   * Reads the next event into `f`; returns false when the element is not an object (`f` is
   * then untouched). Call only while {@link more}.
   */
  next(f: WireFields): boolean {
    const b = this.#b;
    let isObject = false;
    if (this.#ws() === OPEN_OBJ) {
      isObject = true;
      f.reset();
      this.#i++;
      let c = this.#ws();
      if (c === CLOSE_OBJ) this.#i++;
      else
        for (;;) {
          if (c !== QUOTE) throw BAIL;
          const field = this.#field();
          if (this.#ws() !== COLON) throw BAIL;
          this.#i++;
          c = this.#ws();
          if (field === F_NONE) this.#skip(1);
          else {
            const v = c === QUOTE ? this.#cachedString(field) : c === OPEN_OBJ || c === OPEN_ARR ? (this.#skip(1), COMPOSITE) : this.#scalar(c);
            switch (field) {
              case F_TS: f.ts = v; break;
              case F_SRC: f.srcIp = v; break;
              case F_DST: f.dstIp = v; break;
              case F_SPORT: f.srcPort = v; break;
              case F_DPORT: f.dstPort = v; break;
              case F_SIZE: f.size = v; break;
              case F_PROTO: f.protocol = v; break;
              case F_FLAGS: f.flags = v; break;
              case F_DIR: f.direction = v; break;
              case F_NODE: f.node = v; break;
              case F_KIND: f.kind = v; break;
              case F_PACKETS: f.packets = v; break;
              case F_NAME: f.serverName = v; break;
              default: f.duration = v;
            }
          }
          c = this.#ws();
          this.#i++;
          if (c === CLOSE_OBJ) break;
          if (c !== COMMA) throw BAIL;
          c = this.#ws();
        }
    } else this.#skip(1);
    this.count++;
    const c = this.#ws();
    this.#i++;
    if (c === CLOSE_ARR) this.eventsEnd = this.#i - 1;
    else if (c !== COMMA) throw BAIL;
    else if (b[this.#i] === undefined) throw BAIL;
    return isObject;
  }

  /** Reads the rest of the top level after the events; checks nothing but whitespace follows. */
  finish(): void {
    let c = this.#ws();
    while (c === COMMA) {
      this.#i++;
      if (this.#ws() !== QUOTE) throw BAIL;
      if (this.#keyIs('events')) throw BAIL; // a second events: JSON.parse keeps the last
      if (this.#ws() !== COLON) throw BAIL;
      this.#i++;
      this.#ws();
      this.#skip(0);
      c = this.#ws();
    }
    if (c !== CLOSE_OBJ) throw BAIL;
    this.#i++;
    if (this.#ws() !== -1) throw BAIL;
  }

  /** Reads a key (at its quote); true when it is exactly `name`. Escaped keys bail. */
  #keyIs(name: string): boolean {
    const b = this.#b;
    const start = ++this.#i;
    const end = this.#plainEnd();
    return end - start === name.length && latin1(b, start, end) === name;
  }

  /** Reads an event key (at its quote) and returns its field id, F_NONE for the others. */
  #field(): number {
    const b = this.#b;
    const start = ++this.#i;
    const end = this.#plainEnd();
    const candidates = BY_LENGTH[end - start]?.[b[start]!];
    if (candidates === undefined) return F_NONE;
    outer: for (const [key, id] of candidates) {
      for (let k = 1; k < key.length; k++) if (b[start + k] !== key[k]) continue outer;
      return id;
    }
    return F_NONE;
  }

  /** Moves past a string with no escapes (just after its opening quote); returns its end. */
  #plainEnd(): number {
    const b = this.#b;
    let i = this.#i;
    for (;;) {
      const c = b[i];
      if (c === QUOTE) break;
      if (c === undefined || c === BACKSLASH || c < SPACE) throw BAIL;
      i++;
    }
    this.#i = i + 1;
    return i;
  }

  /**
   * A string value of a known field, reusing the field's previous string when the bytes are the
   * same (node, destination, kind repeat from event to event: no new string, less garbage).
   */
  #cachedString(field: number): string {
    const b = this.#b;
    const start = this.#i + 1;
    const prev = this.#last[field];
    if (prev !== undefined) {
      const n = prev.length;
      if (b[start + n] === QUOTE) {
        let k = 0;
        while (k < n && b[start + k] === prev.charCodeAt(k)) k++;
        if (k === n) {
          this.#i = start + n + 1;
          return prev;
        }
      }
    }
    const s = this.#string();
    // Only plain ASCII strings, whose bytes are their char codes, are compared the next time.
    if (this.#i - start - 1 === s.length) this.#last[field] = s;
    return s;
  }

  /** A string value (at its quote), decoded as JSON.parse would. */
  #string(): string {
    const b = this.#b;
    const start = this.#i + 1;
    let i = start;
    let ascii = true;
    for (;;) {
      const c = b[i];
      if (c === QUOTE) break;
      if (c === undefined || c < SPACE) throw BAIL;
      if (c === BACKSLASH) {
        this.#i = start - 1;
        this.#skipString();
        try {
          return JSON.parse(b.toString('utf8', start - 1, this.#i)) as string;
        } catch {
          throw BAIL;
        }
      }
      if (c >= NON_ASCII) ascii = false;
      i++;
    }
    this.#i = i + 1;
    return ascii ? latin1(b, start, i) : b.toString('utf8', start, i);
  }

  /** A number, true, false or null (at its first byte). */
  #scalar(c: number): number | boolean | null {
    const b = this.#b;
    const i = this.#i;
    if (c === LOWER_T && b[i + 1] === LOWER_R && b[i + 2] === LOWER_U && b[i + 3] === LOWER_E) return ((this.#i = i + 4), true);
    if (c === LOWER_F && b[i + 1] === LOWER_A && b[i + 2] === LOWER_L && b[i + 3] === LOWER_S && b[i + 4] === LOWER_E) return ((this.#i = i + 5), false);
    if (c === LOWER_N && b[i + 1] === LOWER_U && b[i + 2] === LOWER_L && b[i + 3] === LOWER_L) return ((this.#i = i + 4), null);
    return this.#number();
  }

  /** A JSON number, strictly by the grammar. Short integers are summed; others go through Number(). */
  #number(): number {
    const b = this.#b;
    const start = this.#i;
    let i = start;
    const negative = b[i] === MINUS;
    if (negative) i++;
    let c = b[i];
    let value = 0;
    if (c === DIGIT_0) c = b[++i];
    else if (c !== undefined && c >= DIGIT_1 && c <= DIGIT_9) {
      do {
        value = value * 10 + (c - DIGIT_0);
        c = b[++i];
      } while (c !== undefined && c >= DIGIT_0 && c <= DIGIT_9);
    } else throw BAIL;
    let simple = i - start <= 15;
    if (c === DOT) {
      simple = false;
      c = b[++i];
      if (c === undefined || c < DIGIT_0 || c > DIGIT_9) throw BAIL;
      do c = b[++i];
      while (c !== undefined && c >= DIGIT_0 && c <= DIGIT_9);
    }
    if (c === LOWER_E || c === UPPER_E) {
      simple = false;
      c = b[++i];
      if (c === PLUS || c === MINUS) c = b[++i];
      if (c === undefined || c < DIGIT_0 || c > DIGIT_9) throw BAIL;
      do c = b[++i];
      while (c !== undefined && c >= DIGIT_0 && c <= DIGIT_9);
    }
    this.#i = i;
    if (simple) return negative ? -value : value;
    return Number(latin1(b, start, i));
  }

  /** Skips a string (at its quote), checking its escapes. */
  #skipString(): void {
    const b = this.#b;
    let i = this.#i + 1;
    for (;;) {
      const c = b[i++];
      if (c === QUOTE) break;
      if (c === undefined || c < SPACE) throw BAIL;
      if (c === BACKSLASH) {
        const e = b[i++];
        if (e === LOWER_U) {
          for (let k = 0; k < 4; k++) {
            const h = b[i++];
            if (h === undefined || !((h >= DIGIT_0 && h <= DIGIT_9) || (h >= UPPER_A && h <= UPPER_F) || (h >= LOWER_A && h <= LOWER_F))) throw BAIL;
          }
        } else if (e !== QUOTE && e !== BACKSLASH && e !== SLASH && e !== LOWER_B && e !== LOWER_F && e !== LOWER_N && e !== LOWER_R && e !== LOWER_T) throw BAIL;
      }
    }
    this.#i = i;
  }

  /** Skips any value (at its first byte), checking its syntax. */
  #skip(depth: number): void {
    const c = this.#ws();
    if (c === QUOTE) return this.#skipString();
    if (c !== OPEN_OBJ && c !== OPEN_ARR) {
      this.#scalar(c);
      return;
    }
    if (depth >= MAX_DEPTH) throw BAIL;
    const close = c === OPEN_OBJ ? CLOSE_OBJ : CLOSE_ARR;
    this.#i++;
    if (this.#ws() === close) {
      this.#i++;
      return;
    }
    for (;;) {
      if (close === CLOSE_OBJ) {
        if (this.#ws() !== QUOTE) throw BAIL;
        this.#skipString();
        if (this.#ws() !== COLON) throw BAIL;
        this.#i++;
      }
      this.#skip(depth + 1);
      const n = this.#ws();
      this.#i++;
      if (n === close) return;
      if (n !== COMMA) throw BAIL;
    }
  }
}
