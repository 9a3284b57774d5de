/** Seconds and nanoseconds of one parsed time; reused, never allocated per line. */
export interface EveTime {
  sec: number;
  nsec: number;
}

const DIGIT0 = 0x30;
const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - DIGIT0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses Suricata's time text, `2024-03-01T12:00:05.123456+0000` (also `Z`, `+01:00`, no
 * fraction, up to nine fraction digits) into epoch seconds and nanoseconds, exactly.
 * Returns false for anything else. The epoch of each calendar day is cached: an EVE file's
 * lines share a handful of days, and `Date.UTC` per line would cost more than the rest.
 */
export class EveTimeParser {
  private dayKey = '';
  private dayEpoch = 0;

  parse(s: unknown, out: EveTime): boolean {
    if (typeof s !== 'string' || s.length < 19 || s.charCodeAt(10) !== 0x54 /* T */) return false;
    const key = s.slice(0, 10);
    if (key !== this.dayKey) {
      const y = digits(s, 0, 4);
      const mo = digits(s, 5, 2);
      const d = digits(s, 8, 2);
      if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || s[4] !== '-' || s[7] !== '-') return false;
      const ms = Date.UTC(y, mo - 1, d);
      if (new Date(ms).getUTCDate() !== d) return false;
      this.dayKey = key;
      this.dayEpoch = ms / 1000;
    }
    const h = digits(s, 11, 2);
    const mi = digits(s, 14, 2);
    const se = digits(s, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60 || s[13] !== ':' || s[16] !== ':') return false;
    let i = 19;
    let nsec = 0;
    if (s[i] === '.') {
      const from = ++i;
      while (i < s.length && i - from < 9) {
        const c = s.charCodeAt(i) - DIGIT0;
        if (c < 0 || c > 9) break;
        nsec = nsec * 10 + c;
        i++;
      }
      if (i === from) return false;
      nsec *= SCALE[i - from] as number;
      while (i < s.length && s.charCodeAt(i) >= DIGIT0 && s.charCodeAt(i) <= DIGIT0 + 9) i++; // beyond ns
    }
    let offset = 0;
    if (i < s.length) {
      const sign = s[i];
      if (sign === 'Z' && i === s.length - 1) offset = 0;
      else if (sign === '+' || sign === '-') {
        const rest = s.slice(i + 1);
        const m = rest.length === 4 ? [digits(rest, 0, 2), digits(rest, 2, 2)] : rest.length === 5 && rest[2] === ':' ? [digits(rest, 0, 2), digits(rest, 3, 2)] : undefined;
        if (m === undefined || (m[0] as number) < 0 || (m[1] as number) < 0) return false;
        offset = ((m[0] as number) * 3600 + (m[1] as number) * 60) * (sign === '-' ? -1 : 1);
      } else return false;
    }
    out.sec = this.dayEpoch + h * 3600 + mi * 60 + se - offset;
    out.nsec = nsec;
    return out.sec >= 0;
  }
}
