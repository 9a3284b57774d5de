import { readZeekConnColumns, type EventColumns, type EventColumnsEncoder, type SourceProblem, type SourceStats } from '@beacon/sources';
import type { ToMain } from './messages.js';

async function* once(header: Uint8Array, bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (header.length > 0) yield header;
  yield bytes;
}

/** A parsed chunk, as a worker posts it. */
export type ParsedChunk = Extract<ToMain, { type: 'chunk' }>;

/**
 * Parses one chunk of a Zeek log (whole lines) under the header lines that precede it, straight
 * into columns: the rows never become event objects. Used by the parse workers, and by the main
 * thread for the chunks it parses itself while the workers are still loading.
 */
export async function parseChunk(encoder: EventColumnsEncoder, id: number, header: Uint8Array, headerLines: number, bytes: Uint8Array, node: string, maxProblems: number): Promise<ParsedChunk> {
  const problems: SourceProblem[] = [];
  const source = readZeekConnColumns(once(header, bytes), encoder, { node, maxProblemSamples: 0, onProblem: (p) => problems.length < maxProblems && problems.push(p) });
  const events: EventColumns[] = [];
  for await (const batch of source) events.push(batch);
  const stats: SourceStats = source.stats;
  // the chunk's own lines: those the reader split, less the header lines sent along
  return { type: 'chunk', id, events, stats, problems, lines: source.lines - headerLines };
}
