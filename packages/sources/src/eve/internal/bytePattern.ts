/**
 * A byte string to look for inside one line, with Horspool's skip table: where the line's byte
 * under the pattern's last position cannot end a match, the search moves on by up to the whole
 * pattern length, so finding `"event_type":"` some 90 bytes into a record looks at about ten
 * bytes, not ninety. Buffer#indexOf cannot stop at the end of a line (a key missing from a
 * line would be searched for through the rest of the chunk, up to a megabyte per line), and
 * for the few dozen bytes before an EVE key the call into the native search costs more.
 */
export class BytePattern {
  readonly bytes: Uint8Array;
  private readonly shift = new Uint8Array(256);

  constructor(text: string) {
    this.bytes = Buffer.from(text, 'latin1');
    const n = this.bytes.length;
    if (n === 0 || n > 255) throw new RangeError('BytePattern: 1 to 255 bytes');
    this.shift.fill(n);
    for (let i = 0; i < n - 1; i++) this.shift[this.bytes[i] as number] = n - 1 - i;
  }

  /** The first index of the pattern in `buf[from, end)`, or -1. */
  find(buf: Uint8Array, from: number, end: number): number {
    const needle = this.bytes;
    const shift = this.shift;
    const n = needle.length;
    const lastByte = needle[n - 1] as number;
    for (let i = from + n - 1; i < end; ) {
      const c = buf[i] as number;
      if (c === lastByte) {
        const at = i - n + 1;
        let j = 0;
        while (j < n - 1 && buf[at + j] === needle[j]) j++;
        if (j === n - 1) return at;
      }
      i += shift[c] as number;
    }
    return -1;
  }
}
