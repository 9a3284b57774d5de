import type { ConnectionEvent } from '@beacon/detector';
import type { EventSource, SourceInput, SourceOptions, SourceStats } from '../types.js';
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
