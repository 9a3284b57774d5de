import type { SourceProblem } from '../types.js';

/** Receives what a capture-file parser finds. */
export interface CaptureHandler {
  /** One captured frame at buf[off, off + caplen), taken at `sec`.`nsec`; `offset` is its record's file offset. */
  packet(linkType: number, iface: number, buf: Buffer, off: number, caplen: number, sec: number, nsec: number, offset: number): void;
  problem(problem: SourceProblem): void;
}

/**
 * A streaming capture-file parser. `parse` is handed the unconsumed bytes (carried over from
 * earlier chunks, then the new chunk) starting at file offset `base`, and returns how many it
 * consumed; with `eof` it must consume everything, reporting what is cut short.
 */
export interface CaptureParser {
  parse(buf: Buffer, base: number, eof: boolean): number;
}

/** Largest record/block accepted before it is considered garbled. */
export const MAX_RECORD: number = 16 << 20;
