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
const HEADER = 16;
const VERSION = 1;

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

/** Packs times (epoch seconds, millisecond precision, oldest first) and sizes. */
export function packHistory(times: readonly number[], sizes: readonly number[]): Buffer {
  const n = times.length;
  const deltas = new Float64Array(Math.max(0, n - 1));
  const first = n > 0 ? Math.round((times[0] as number) * 1000) : 0;
  let exact = n === 0 || Math.abs((times[0] as number) * 1000 - first) < 1e-3;
  let prev = first;
  for (let i = 1; i < n && exact; i++) {
    const ms = Math.round((times[i] as number) * 1000);
    if (Math.abs((times[i] as number) * 1000 - ms) >= 1e-3) exact = false;
    deltas[i - 1] = ms - prev;
    prev = ms;
  }
  const tw: Width = exact ? widthFor(deltas, 0) : 8;
  const sw = widthFor(sizes, 0);
  const timeCount = tw === 8 ? n : Math.max(0, n - 1);
  const timeBytes = pad8(timeCount * tw);
  const buf = new ArrayBuffer(HEADER + timeBytes + n * sw);
  const view = new DataView(buf);
  view.setUint8(0, VERSION);
  view.setUint8(1, tw);
  view.setUint8(2, sw);
  view.setUint32(4, n, true);
  view.setFloat64(8, first, true);
  const t = arrayFor(tw, buf, HEADER, timeCount);
  if (tw === 8) t.set(times);
  else t.set(deltas);
  arrayFor(sw, buf, HEADER + timeBytes, n).set(sizes);
  return Buffer.from(buf);
}

function reader(view: DataView, width: Width): (offset: number) => number {
  switch (width) {
    case 1:
      return (o) => view.getUint8(o);
    case 2:
      return (o) => view.getUint16(o, true);
    case 4:
      return (o) => view.getUint32(o, true);
    default:
      return (o) => view.getFloat64(o, true);
  }
}

/** Unpacks {@link packHistory}'s BLOB (read in place, any alignment); throws a plain Error when it is malformed. */
export function unpackHistory(blob: Uint8Array): { times: number[]; sizes: number[] } {
  if (blob.byteLength < HEADER) throw new Error(`history blob too short (${blob.byteLength} bytes)`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const version = view.getUint8(0);
  const tw = view.getUint8(1) as Width;
  const sw = view.getUint8(2) as Width;
  const n = view.getUint32(4, true);
  if (version !== VERSION || ![1, 2, 4, 8].includes(tw) || ![1, 2, 4, 8].includes(sw)) throw new Error(`unknown history blob format (version ${version})`);
  const timeCount = tw === 8 ? n : Math.max(0, n - 1);
  const timeBytes = pad8(timeCount * tw);
  if (blob.byteLength !== HEADER + timeBytes + n * sw) throw new Error(`history blob is ${blob.byteLength} bytes, expected ${HEADER + timeBytes + n * sw}`);
  const readT = reader(view, tw);
  const readS = reader(view, sw);
  const times = new Array<number>(n);
  const sizes = new Array<number>(n);
  if (tw === 8) {
    for (let i = 0; i < n; i++) times[i] = readT(HEADER + i * 8);
  } else if (n > 0) {
    let ms = view.getFloat64(8, true);
    times[0] = ms / 1000;
    for (let i = 1; i < n; i++) {
      ms += readT(HEADER + (i - 1) * tw);
      times[i] = ms / 1000;
    }
  }
  const base = HEADER + timeBytes;
  for (let i = 0; i < n; i++) sizes[i] = readS(base + i * sw);
  return { times, sizes };
}
