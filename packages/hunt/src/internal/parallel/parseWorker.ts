/**
 * The parse worker: reads Zeek log chunks or whole files with `@beacon/sources` and sends the
 * events to the main thread as columns (`EventColumns` of `@beacon/sources`). Its own entry point in the build.
 */
import { parentPort } from 'node:worker_threads';
import { EventColumnsEncoder, eventColumnsTransferList, isSourceError, openColumnSource, type EventColumns, type OpenSourceOptions, type SourceProblem } from '@beacon/sources';
import { parseChunk } from './parseChunk.js';
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

/** One chunk of a Zeek log, parsed under the header lines that precede it. */
async function chunk(m: Extract<ToWorker, { type: 'chunk' }>): Promise<void> {
  const parsed = await parseChunk(encoder, m.id, m.header, m.headerLines, m.bytes, m.node, m.maxProblems);
  post(parsed, parsed.events);
}

/** A whole file (captures, gzip, formats that cannot be cut), streamed in batches with flow control. */
async function parseFile(m: Extract<ToWorker, { type: 'file' }>): Promise<void> {
  let problems: SourceProblem[] = [];
  const options: OpenSourceOptions = { ...m.options, maxProblemSamples: 0, onProblem: (p) => void problems.push(p) };
  // Captures and Zeek logs are read straight into columns (no event object per record); EVE
  // logs come as event objects and are encoded batch by batch.
  const opened = await openColumnSource(m.file, encoder, options);
  const send = async (events: EventColumns, bytes: number): Promise<void> => {
    unacked++;
    post({ type: 'batch', events, bytes, problems }, [events]);
    problems = [];
    while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (wake = resolve));
  };
  if (opened.kind === 'columns') {
    const source = opened.source;
    for await (const events of source) await send(events, source.stats.bytes);
    post({ type: 'end', stats: source.stats, problems });
    return;
  }
  const source = opened.source;
  for await (const batch of source) await send(encoder.encode(batch), source.stats.bytes);
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
  const job = m.type === 'chunk' ? chunk(m) : parseFile(m);
  job.catch((error: unknown) => post(failure(error)));
});
// loaded: chunks sent from now on are parsed at once (until then the main thread parses them itself)
post({ type: 'ready' });
