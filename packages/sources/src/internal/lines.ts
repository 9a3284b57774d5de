/**
 * Splits a chunked byte stream into lines without decoding it. node:readline decodes every
 * line to a string, which alone caps a reader well below 500k rows/s; here a line is a
 * (buffer, start, end) view and only the fields that matter are ever decoded.
 */
export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number, lastWithoutNewline: boolean, overlong: boolean) => void;

/**
 * Lines longer than this are handed over once, cut to this length with `overlong` set, and the
 * rest of the line is skipped: a 20 MB line is one line (one problem), and every later line
 * keeps its number.
 */
export const MAX_LINE: number = 4 << 20;

export class LineSplitter {
  private carry: Buffer | undefined;
  private lineNo = 0;
  /** Inside an overlong line already handed over: bytes are dropped until its newline. */
  private skipping = false;
  private readonly onLine: LineHandler;

  constructor(onLine: LineHandler) {
    this.onLine = onLine;
  }

  /** Lines completed so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    if (this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return;
      this.skipping = false;
      pos = nl + 1;
    } else if (this.carry !== undefined) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > MAX_LINE) {
          const line = this.carry;
          this.carry = undefined;
          this.skipping = true;
          this.emit(line, 0, MAX_LINE, false, true);
        }
        return;
      }
      // Only the broken line is copied, never the rest of the chunk.
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.emit(line, 0, Math.min(line.length, MAX_LINE), false, line.length > MAX_LINE);
      pos = nl + 1;
    }
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.carry = chunk.subarray(pos);
        return;
      }
      this.emit(chunk, pos, Math.min(nl, pos + MAX_LINE), false, nl - pos > MAX_LINE);
      pos = nl + 1;
    }
  }

  /** Hands over a last line that had no newline. */
  end(): void {
    this.skipping = false;
    if (this.carry !== undefined) {
      const line = this.carry;
      this.carry = undefined;
      this.emit(line, 0, Math.min(line.length, MAX_LINE), true, line.length > MAX_LINE);
    }
  }

  private emit(buf: Buffer, start: number, end: number, last: boolean, overlong: boolean): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === 13) end--;
    this.onLine(buf, start, end, this.lineNo, last, overlong);
  }
}
