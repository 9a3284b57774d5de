/** Seconds and nanoseconds of one parsed time; reused, never allocated per line. */
export interface EveTime {
  sec: number;
  nsec: number;
}

const DIGIT0 = 0x30;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const Z = 0x5a;
const T = 0x54;
const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = (b[i] as number) - DIGIT0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses Suricata's time text, `2024-03-01T12:00:05.123456+0000` (also `Z`, `+01:00`, no
 * fraction, up to nine fraction digits) into epoch seconds and nanoseconds, exactly.
 * Returns false for anything else. It reads the bytes of the line where the time is (the byte
 * scanner never makes a string of it); text from a parsed record goes through its UTF-8 bytes
 * (any non-ASCII character becomes bytes >= 0x80, which never pass for digits or separators).
 * The epoch of each calendar day is cached: an EVE file's lines share a handful of days, and
 * `Date.UTC` per line would cost more than the rest.
 */
export class EveTimeParser {
  /** The cached day's `YYYY-MM-DD` bytes (valid when `dayEpoch` >= 0). */
  private readonly day = new Uint8Array(10);
  private dayEpoch = -1;

  /** A time held as text (the slow path's parsed records). */
  parse(s: unknown, out: EveTime): boolean {
    if (typeof s !== 'string') return false;
    const b = Buffer.from(s, 'utf8');
    return this.parseBytes(b, 0, b.length, out);
  }

  /** The time in `b[start, end)`. */
  parseBytes(b: Uint8Array, start: number, end: number, out: EveTime): boolean {
    const len = end - start;
    if (len < 19 || b[start + 10] !== T) return false;
    const day = this.day;
    let same = this.dayEpoch >= 0;
    for (let i = 0; same && i < 10; i++) same = b[start + i] === day[i];
    if (!same) {
      const y = digits(b, start, 4);
      const mo = digits(b, start + 5, 2);
      const d = digits(b, start + 8, 2);
      if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || b[start + 4] !== DASH || b[start + 7] !== DASH) return false;
      const ms = Date.UTC(y, mo - 1, d);
      if (new Date(ms).getUTCDate() !== d) return false;
      for (let i = 0; i < 10; i++) day[i] = b[start + i] as number;
      this.dayEpoch = ms / 1000;
    }
    const h = digits(b, start + 11, 2);
    const mi = digits(b, start + 14, 2);
    const se = digits(b, start + 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60 || b[start + 13] !== COLON || b[start + 16] !== COLON) return false;
    let i = start + 19;
    let nsec = 0;
    if (i < end && b[i] === DOT) {
      const from = ++i;
      while (i < end && i - from < 9) {
        const c = (b[i] as number) - DIGIT0;
        if (c < 0 || c > 9) break;
        nsec = nsec * 10 + c;
        i++;
      }
      if (i === from) return false;
      nsec *= SCALE[i - from] as number;
      while (i < end && (b[i] as number) >= DIGIT0 && (b[i] as number) <= DIGIT0 + 9) i++; // beyond ns
    }
    let offset = 0;
    if (i < end) {
      const sign = b[i];
      if (sign === Z && i === end - 1) offset = 0;
      else if (sign === PLUS || sign === DASH) {
        const r = i + 1;
        const rest = end - r;
        const hh = rest === 4 || (rest === 5 && b[r + 2] === COLON) ? digits(b, r, 2) : -1;
        const mm = rest === 4 ? digits(b, r + 2, 2) : rest === 5 ? digits(b, r + 3, 2) : -1;
        if (hh < 0 || mm < 0) return false;
        offset = (hh * 3600 + mm * 60) * (sign === DASH ? -1 : 1);
      } else return false;
    }
    out.sec = this.dayEpoch + h * 3600 + mi * 60 + se - offset;
    out.nsec = nsec;
    return out.sec >= 0;
  }
}
