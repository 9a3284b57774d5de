/**
 * The parse worker: reads Zeek log chunks or whole files with `@beacon/sources` and sends the
 * events to the main thread as columns (`EventColumns` of `@beacon/sources`). Its own entry point in the build.
 */
import { parentPort } from 'node:worker_threads';
import { EventColumnsEncoder, eventColumnsTransferList, isSourceError, openSource, readZeekConnColumns, type EventColumns, type OpenSourceOptions, type SourceProblem } from '@beacon/sources';
import type { ToMain, ToWorker } from './messages.js';

const port = parentPort;
if (port === null) throw new Error('parseWorker.js runs as a worker thread');
const encoder = new EventColumnsEncoder();
/** Whole-file mode: messages the main thread has not acknowledged yet, and who waits for room. */
let unacked = 0;
let wake: (() => void) | undefined;
const MAX_UNACKED = 4;

function post(m: ToMain, events: readonly EventColumns[] = []): void {
  port?.postMessage(m, events.flatMap(eventColumnsTransferList));
}

function failure(error: unknown): ToMain {
  const e = error as { message?: unknown; code?: unknown };
  return { type: 'error', message: String(e?.message ?? error), sourceCode: isSourceError(error) ? error.code : undefined };
}

async function* once(header: Uint8Array, bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (header.length > 0) yield header;
  yield bytes;
}

/** One chunk of a Zeek log, parsed under the header lines that precede it. */
async function parseChunk(m: Extract<ToWorker, { type: 'chunk' }>): Promise<void> {
  const problems: SourceProblem[] = [];
  // straight into columns: the rows never become event objects on this thread
  const source = readZeekConnColumns(once(m.header, m.bytes), encoder, { node: m.node, maxProblemSamples: 0, onProblem: (p) => problems.length < m.maxProblems && problems.push(p) });
  const events: EventColumns[] = [];
  for await (const batch of source) events.push(batch);
  // the chunk's own lines: those the reader split, less the header lines sent along
  const lines = source.lines - m.headerLines;
  post({ type: 'chunk', id: m.id, events, stats: source.stats, problems, lines }, events);
}

/** A whole file (captures, gzip, formats that cannot be cut), streamed in batches with flow control. */
async function parseFile(m: Extract<ToWorker, { type: 'file' }>): Promise<void> {
  let problems: SourceProblem[] = [];
  const options: OpenSourceOptions = { ...m.options, maxProblemSamples: 0, onProblem: (p) => void problems.push(p) };
  const source = await openSource(m.file, options);
  for await (const batch of source) {
    const events = encoder.encode(batch);
    unacked++;
    post({ type: 'batch', events, bytes: source.stats.bytes, problems }, [events]);
    problems = [];
    while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (wake = resolve));
  }
  post({ type: 'end', stats: source.stats, problems });
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'ack') {
    unacked--;
    const w = wake;
    wake = undefined;
    w?.();
    return;
  }
  const job = m.type === 'chunk' ? parseChunk(m) : parseFile(m);
  job.catch((error: unknown) => post(failure(error)));
});
