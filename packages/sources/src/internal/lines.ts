/**
 * Splits a chunked byte stream into lines without decoding it. node:readline decodes every
 * line to a string, which alone caps a reader well below 500k rows/s; here a line is a
 * (buffer, start, end) view and only the fields that matter are ever decoded.
 */
export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number, lastWithoutNewline: boolean) => void;

/** Lines longer than this are cut off and handed over as they are (the parser reports them). */
const MAX_LINE = 4 << 20;

export class LineSplitter {
  private carry: Buffer | undefined;
  private lineNo = 0;
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
    if (this.carry !== undefined) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > MAX_LINE) this.flushCarry(false);
        return;
      }
      // Only the broken line is copied, never the rest of the chunk.
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = undefined;
      this.emit(line, 0, line.length, false);
      pos = nl + 1;
    }
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.carry = chunk.subarray(pos);
        return;
      }
      this.emit(chunk, pos, nl, false);
      pos = nl + 1;
    }
  }

  /** Hands over a last line that had no newline. */
  end(): void {
    if (this.carry !== undefined) this.flushCarry(true);
  }

  private flushCarry(last: boolean): void {
    const line = this.carry as Buffer;
    this.carry = undefined;
    this.emit(line, 0, line.length, last);
  }

  private emit(buf: Buffer, start: number, end: number, last: boolean): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === 13) end--;
    this.onLine(buf, start, end, this.lineNo, last);
  }
}
