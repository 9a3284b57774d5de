/** Parsing of numbers straight from bytes, so Zeek rows never go through strings or floats. */

/** Unsigned decimal integer in buf[start, end), or -1 if empty or not all digits. */
export function parseUint(buf: Buffer, start: number, end: number): number {
  if (end <= start) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Result slot for {@link parseTime}, reused to avoid allocating per row. */
export interface TimeOut {
  sec: number;
  nsec: number;
}

/**
 * Epoch seconds written as `123.456789` split exactly into whole seconds and nanoseconds
 * (digits past the ninth are dropped). False if the text is not such a number.
 */
export function parseTime(buf: Buffer, start: number, end: number, out: TimeOut): boolean {
  let sec = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c === 46) break;
    const d = c - 48;
    if (d < 0 || d > 9) return false;
    sec = sec * 10 + d;
  }
  if (i === start) return false;
  let nsec = 0;
  let scale = 100_000_000;
  if (i < end) {
    if (i + 1 === end) return false;
    for (i++; i < end; i++) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) return false;
      nsec += d * scale;
      scale = Math.floor(scale / 10);
    }
  }
  out.sec = sec;
  out.nsec = nsec;
  return true;
}

/** The same exact split for a time given as text (JSON logs), read by char codes. */
export function parseTimeText(text: string, out: TimeOut): boolean {
  const end = text.length;
  let sec = 0;
  let i = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    const d = c - 48;
    if (d < 0 || d > 9) return false;
    sec = sec * 10 + d;
  }
  if (i === 0) return false;
  let nsec = 0;
  let scale = 100_000_000;
  if (i < end) {
    if (i + 1 === end) return false;
    for (i++; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      nsec += d * scale;
      scale = Math.floor(scale / 10);
    }
  }
  out.sec = sec;
  out.nsec = nsec;
  return true;
}
