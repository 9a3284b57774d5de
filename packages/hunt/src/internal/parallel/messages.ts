import type { EventColumns, OpenSourceOptions, SourceErrorCode, SourceProblem, SourceStats } from '@beacon/sources';

/** Messages from the main thread to a parse worker. */
export type ToWorker =
  /** Parse one chunk of a Zeek log (whole lines) under the header lines before it. */
  | { type: 'chunk'; id: number; header: Uint8Array; headerLines: number; bytes: Uint8Array; node: string; maxProblems: number }
  /** Read a whole file and stream its events. */
  | { type: 'file'; file: string; options: Pick<OpenSourceOptions, 'format' | 'idleGapSec' | 'flowTimeoutSec'> }
  /** The main thread consumed one `batch` message. */
  | { type: 'ack' };

/** Messages from a parse worker to the main thread. */
export type ToMain =
  /** `lines`: newlines in the chunk (header lines sent with it not counted). */
  | { type: 'chunk'; id: number; events: EventColumns[]; stats: SourceStats; problems: SourceProblem[]; lines: number }
  | { type: 'batch'; events: EventColumns; bytes: number; problems: SourceProblem[] }
  | { type: 'end'; stats: SourceStats; problems: SourceProblem[] }
  | { type: 'error'; message: string; sourceCode: SourceErrorCode | undefined }
  /** The worker has loaded and takes work. */
  | { type: 'ready' };
