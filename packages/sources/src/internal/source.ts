import type { ConnectionEvent } from '@beacon/detector';
import type { EventSource, SourceInput, SourceOptions, SourceStats } from '../types.js';
import type { ColumnSource } from '../readZeekConnLog.js';
import { openInput, type OpenedInput } from './input.js';
import { createStats, Sink } from './stats.js';

/** Reads an opened input into batches, pushing events into the sink. */
export type BatchReader = (opened: OpenedInput, sink: Sink) => AsyncGenerator<ConnectionEvent[]>;

/**
 * Wraps a reader as an {@link EventSource}. The input is opened lazily, on first iteration;
 * `opened` lets `openSource` hand over an input it has already opened to sniff it.
 */
export function makeSource(
  input: SourceInput,
  options: SourceOptions,
  read: BatchReader,
  opened?: OpenedInput,
): EventSource {
  const stats: SourceStats = createStats();
  let pending = opened;
  return {
    stats,
    async *[Symbol.asyncIterator](): AsyncGenerator<ConnectionEvent[]> {
      Object.assign(stats, createStats());
      const o = pending ?? (await openInput(input, options.chunkSize));
      pending = undefined;
      stats.gzip = o.gzip;
      yield* read(o, new Sink(stats, options));
    },
  };
}

/** Reads an opened input into a row writer's batches; `read.lines` follows the lines split. */
export type RowReader<B> = (opened: OpenedInput, sink: Sink, read: { lines: number }) => AsyncGenerator<B>;

/**
 * Wraps a row reader as a {@link ColumnSource}, opened lazily on first iteration (or handed an
 * input already opened to sniff it), as {@link makeSource} does for event readers.
 */
export function makeColumnSource<B>(input: SourceInput, options: SourceOptions, readRows: RowReader<B>, opened?: OpenedInput): ColumnSource<B> {
  const stats: SourceStats = createStats();
  const read = { lines: 0 };
  let pending = opened;
  return {
    stats,
    get lines() {
      return read.lines;
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<B> {
      Object.assign(stats, createStats());
      read.lines = 0;
      const o = pending ?? (await openInput(input, options.chunkSize));
      pending = undefined;
      stats.gzip = o.gzip;
      yield* readRows(o, new Sink(stats, options), read);
    },
  };
}
