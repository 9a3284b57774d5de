/**
 * A pair's history as one BLOB of packed typed arrays (little-endian):
 *
 *   u8 version (1) | u8 time width | u8 size width | u8 0 | u32 count | f64 first time (ms)
 *   | time deltas, (count - 1) x time width, padded to 8 | sizes, count x size width
 *
 * Times are stored as millisecond deltas from the previous event, sizes as they are, each in
 * the narrowest unsigned width that holds every value (1, 2 or 4 bytes); width 8 means raw
 * float64 (seconds for times) for anything that is not a whole, ordered, 32-bit value.
 * A 60 s beacon's 128 events take 16 + 254 + 256 bytes instead of ~2.5 KB of JSON.
 */
import type { PairHistory } from '@beacon/detector';

const HEADER = 16;
const VERSION = 1;
const U32_MAX = 0xffffffff;
/** Largest base a {@link PairHistory} may have (base plus a Uint32 offset stays exact). */
const MAX_BASE_MS = Number.MAX_SAFE_INTEGER - U32_MAX;

type Width = 1 | 2 | 4 | 8;

function widthFor(values: ArrayLike<number>, from: number): Width {
  let max = 0;
  for (let i = from; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0) || v > 0xffffffff || !Number.isInteger(v)) return 8;
    if (v > max) max = v;
  }
  return max <= 0xff ? 1 : max <= 0xffff ? 2 : 4;
}

function arrayFor(width: Width, buffer: ArrayBuffer, byteOffset: number, length: number): Uint8Array | Uint16Array | Uint32Array | Float64Array {
  switch (width) {
    case 1:
      return new Uint8Array(buffer, byteOffset, length);
    case 2:
      return new Uint16Array(buffer, byteOffset, length);
    case 4:
      return new Uint32Array(buffer, byteOffset, length);
    default:
      return new Float64Array(buffer, byteOffset, length);
  }
}

const pad8 = (n: number): number => (n + 7) & ~7;

/** Millisecond deltas of the history being packed (reused: packing allocates only the output). */
let scratch = new Float64Array(256);

/**
 * Lays out one history: fills `scratch` with its time deltas and returns the widths and the
 * BLOB's length, so {@link writeHistory} can write it straight into a larger buffer.
 */
export function historyLayout(times: readonly number[], sizes: readonly number[]): { tw: Width; sw: Width; bytes: number; first: number } {
  const n = times.length;
  if (scratch.length < n) scratch = new Float64Array(n * 2);
  const first = n > 0 ? Math.round((times[0] as number) * 1000) : 0;
  let exact = n === 0 || Math.abs((times[0] as number) * 1000 - first) < 1e-3;
  let prev = first;
  let max = 0;
  for (let i = 1; i < n && exact; i++) {
    const t = (times[i] as number) * 1000;
    const ms = Math.round(t);
    if (Math.abs(t - ms) >= 1e-3) exact = false;
    const d = ms - prev;
    if (!(d >= 0) || d > 0xffffffff) exact = false;
    else if (d > max) max = d;
    scratch[i - 1] = d;
    prev = ms;
  }
  const tw: Width = exact ? (max <= 0xff ? 1 : max <= 0xffff ? 2 : 4) : 8;
  const sw = widthFor(sizes, 0);
  const timeCount = tw === 8 ? n : Math.max(0, n - 1);
  return { tw, sw, bytes: HEADER + pad8(timeCount * tw) + n * sw, first };
}

/** Writes the history {@link historyLayout} just laid out at `at` (8-byte aligned) of `out`. */
export function writeHistory(out: Uint8Array, at: number, times: readonly number[], sizes: readonly number[], layout: { tw: Width; sw: Width; first: number }): void {
  const { tw, sw, first } = layout;
  const n = times.length;
  const view = new DataView(out.buffer, out.byteOffset + at, HEADER);
  view.setUint8(0, VERSION);
  view.setUint8(1, tw);
  view.setUint8(2, sw);
  view.setUint8(3, 0);
  view.setUint32(4, n, true);
  view.setFloat64(8, first, true);
  const timeCount = tw === 8 ? n : Math.max(0, n - 1);
  const t = arrayFor(tw, out.buffer as ArrayBuffer, out.byteOffset + at + HEADER, timeCount);
  if (tw === 8) for (let i = 0; i < n; i++) t[i] = times[i]!;
  else for (let i = 0; i < timeCount; i++) t[i] = scratch[i]!;
  const s = arrayFor(sw, out.buffer as ArrayBuffer, out.byteOffset + at + HEADER + pad8(timeCount * tw), n);
  for (let i = 0; i < n; i++) s[i] = sizes[i]!;
}

/** Packs times (epoch seconds, millisecond precision, oldest first) and sizes. */
export function packHistory(times: readonly number[], sizes: readonly number[]): Buffer {
  const layout = historyLayout(times, sizes);
  const out = Buffer.alloc(layout.bytes + 8);
  // Aligned start, so the typed views may write in place.
  const at = (8 - (out.byteOffset % 8)) % 8;
  writeHistory(out, at, times, sizes, layout);
  return out.subarray(at, at + layout.bytes);
}

/** The values of one packed array, as a typed view when aligned (the usual case), else a copy. */
function view(blob: Uint8Array, width: Width, offset: number, length: number): Uint8Array | Uint16Array | Uint32Array | Float64Array {
  const at = blob.byteOffset + offset;
  if (at % width === 0) return arrayFor(width, blob.buffer as ArrayBuffer, at, length);
  const copy = new Uint8Array(length * width);
  copy.set(blob.subarray(offset, offset + length * width));
  return arrayFor(width, copy.buffer, 0, length);
}

/** Unpacks {@link packHistory}'s BLOB (read in place when aligned); throws a plain Error when it is malformed. */
export function unpackHistory(blob: Uint8Array): { times: number[]; sizes: number[] } {
  if (blob.byteLength < HEADER) throw new Error(`history blob too short (${blob.byteLength} bytes)`);
  const tw = blob[1] as Width;
  const sw = blob[2] as Width;
  const n = (blob[4]! | (blob[5]! << 8) | (blob[6]! << 16) | (blob[7]! << 24)) >>> 0;
  if (blob[0] !== VERSION || !isWidth(tw) || !isWidth(sw)) throw new Error(`unknown history blob format (version ${blob[0]})`);
  const timeCount = tw === 8 ? n : Math.max(0, n - 1);
  const timeBytes = pad8(timeCount * tw);
  if (blob.byteLength !== HEADER + timeBytes + n * sw) throw new Error(`history blob is ${blob.byteLength} bytes, expected ${HEADER + timeBytes + n * sw}`);
  const t = view(blob, tw, HEADER, timeCount);
  const s = view(blob, sw, HEADER + timeBytes, n);
  const times = new Array<number>(n);
  const sizes = new Array<number>(n);
  if (tw === 8) {
    for (let i = 0; i < n; i++) times[i] = t[i]!;
  } else if (n > 0) {
    let ms = new DataView(blob.buffer, blob.byteOffset + 8, 8).getFloat64(0, true);
    times[0] = ms / 1000;
    for (let i = 1; i < n; i++) {
      ms += t[i - 1]!;
      times[i] = ms / 1000;
    }
  }
  for (let i = 0; i < n; i++) sizes[i] = s[i]!;
  return { times, sizes };
}

function isWidth(w: number): w is Width {
  return w === 1 || w === 2 || w === 4 || w === 8;
}

/** Decoded histories share chunks of this many events (a longer history gets a chunk of its own). */
const CHUNK_EVENTS = 1 << 20;

/** Reads a BLOB's float64 first time with no view per BLOB. */
const firstView = new DataView(new ArrayBuffer(8));

/**
 * Decodes packed histories straight into shared typed arrays, as {@link PairHistory} values
 * (times in milliseconds after the first event): no array or view per pair. Each history is
 * appended to the current chunk, and never straddles two.
 */
export class HistoryColumns {
  #times = new Uint32Array(0);
  #sizes = new Uint32Array(0);
  #used = 0;

  /**
   * The typed form of {@link packHistory}'s BLOB, or null when it has none (float64 times or
   * sizes, a first time that is not a whole millisecond >= 0, a span beyond 32 bits): read those
   * with {@link unpackHistory}. Throws a plain Error when the BLOB is malformed.
   */
  decode(blob: Uint8Array): PairHistory | null {
    const len = blob.byteLength;
    if (len < HEADER) throw new Error(`history blob too short (${len} bytes)`);
    const tw = blob[1] as Width;
    const sw = blob[2] as Width;
    const n = (blob[4]! | (blob[5]! << 8) | (blob[6]! << 16) | (blob[7]! << 24)) >>> 0;
    if (blob[0] !== VERSION || !isWidth(tw) || !isWidth(sw)) throw new Error(`unknown history blob format (version ${blob[0]})`);
    const timeCount = tw === 8 ? n : Math.max(0, n - 1);
    const sizesAt = HEADER + pad8(timeCount * tw);
    if (len !== sizesAt + n * sw) throw new Error(`history blob is ${len} bytes, expected ${sizesAt + n * sw}`);
    if (tw === 8 || sw === 8) return null;
    for (let k = 0; k < 8; k++) firstView.setUint8(k, blob[8 + k]!);
    const base = firstView.getFloat64(0, true);
    if (!Number.isInteger(base) || base < 0 || base > MAX_BASE_MS) return null;
    if (this.#used + n > this.#times.length) {
      this.#times = new Uint32Array(Math.max(CHUNK_EVENTS, n));
      this.#sizes = new Uint32Array(this.#times.length);
      this.#used = 0;
    }
    const times = this.#times;
    const sizes = this.#sizes;
    const o = this.#used;
    // Byte by byte: a BLOB may sit at any offset, and the format is little-endian on every platform.
    if (n > 0) times[o] = 0;
    let rel = 0;
    let at = HEADER;
    if (tw === 1) {
      for (let i = 1; i < n; i++, at++) times[o + i] = rel += blob[at]!;
    } else if (tw === 2) {
      for (let i = 1; i < n; i++, at += 2) times[o + i] = rel += blob[at]! | (blob[at + 1]! << 8);
    } else {
      for (let i = 1; i < n; i++, at += 4) times[o + i] = rel += (blob[at]! | (blob[at + 1]! << 8) | (blob[at + 2]! << 16) | (blob[at + 3]! << 24)) >>> 0;
    }
    // The sum only grows: when the last one fits in 32 bits, every one did (else nothing is kept).
    if (rel > U32_MAX) return null;
    at = sizesAt;
    if (sw === 1) {
      for (let i = 0; i < n; i++, at++) sizes[o + i] = blob[at]!;
    } else if (sw === 2) {
      for (let i = 0; i < n; i++, at += 2) sizes[o + i] = blob[at]! | (blob[at + 1]! << 8);
    } else {
      for (let i = 0; i < n; i++, at += 4) sizes[o + i] = blob[at]! | (blob[at + 1]! << 8) | (blob[at + 2]! << 16) | (blob[at + 3]! << 24);
    }
    this.#used = o + n;
    return { baseMs: base, times, sizes, start: o, length: n };
  }
}
