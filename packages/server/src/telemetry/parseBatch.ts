import { BACKSLASH, CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, OPEN_ARR, OPEN_OBJ, QUOTE, SPACE } from './jsonBytes.js';
import { ServerError } from '../serverError.js';
import { yieldToLoop } from '../internal/yieldToLoop.js';

/** A telemetry body split into its envelope and its events, parsed a chunk at a time. */
export interface ParsedBatch {
  /** The top-level value with `events` replaced by `[]` (or the whole value when small). */
  envelope: unknown;
  /** The events, in chunks of at most `chunkSize`; null when the body had no `events` array. */
  chunks: unknown[][] | null;
}

/** Bodies up to this size are parsed in one `JSON.parse` (a few milliseconds at most). */
const DIRECT_LIMIT = 1024 * 1024;
/** Bytes scanned between two yields to the event loop. */
const SCAN_SLICE = 4 * 1024 * 1024;

const EVENTS = Buffer.from('events');

function syntaxError(error: unknown, toBody: (position: number) => number): ServerError {
  const message = (error as Error).message;
  const m = /at position (\d+)/.exec(message);
  if (m === null) return new ServerError('INVALID_JSON', `body is not valid JSON: ${message}`, { path: '(body)', cause: error });
  const position = toBody(Number(m[1]));
  return new ServerError('INVALID_JSON', `body is not valid JSON: ${message.replace(/at position \d+/, `at position ${position}`)}`, {
    path: '(body)',
    position,
    cause: error,
  });
}

function parse(text: string, toBody: (position: number) => number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw syntaxError(error, toBody);
  }
}

function chunk(list: unknown[], size: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

interface Layout {
  /** Offset of the `[` of the top-level `events` array, or -1. */
  start: number;
  /** Offset of its `]`. */
  end: number;
  /** Offsets of the commas that end every `chunkSize`-th element. */
  cuts: number[];
}

/**
 * One pass over the bytes, tracking strings and nesting, to find the top-level `events` array
 * and where to cut it into chunks. JSON's structural characters are ASCII, so scanning UTF-8
 * bytes is exact. Whatever the scan gets wrong on malformed input, the JSON.parse of each
 * piece reports.
 */
async function scan(b: Buffer, chunkSize: number): Promise<Layout> {
  const layout: Layout = { start: -1, end: -1, cuts: [] };
  let depth = 0;
  let inString = false;
  let strStart = -1;
  let lastKeyIsEvents = false;
  let awaitingValue = false;
  let count = 0;
  let nextYield = SCAN_SLICE;
  for (let i = 0; i < b.length; i++) {
    if (i === nextYield) {
      nextYield += SCAN_SLICE;
      await yieldToLoop();
    }
    const c = b[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) {
        inString = false;
        if (depth === 1) lastKeyIsEvents = i - strStart - 1 === 6 && b.compare(EVENTS, 0, 6, strStart + 1, i) === 0;
      }
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      strStart = i;
      awaitingValue = false;
    } else if (c === OPEN_ARR || c === OPEN_OBJ) {
      if (awaitingValue && c === OPEN_ARR && layout.start < 0) layout.start = i;
      awaitingValue = false;
      depth++;
    } else if (c === CLOSE_ARR || c === CLOSE_OBJ) {
      if (depth === 2 && c === CLOSE_ARR && layout.start >= 0 && layout.end < 0) layout.end = i;
      depth--;
    } else if (c === COLON) {
      awaitingValue = depth === 1 && lastKeyIsEvents;
    } else if (c === COMMA) {
      awaitingValue = false;
      if (depth === 2 && layout.start >= 0 && layout.end < 0 && ++count % chunkSize === 0) layout.cuts.push(i);
    } else if (c > SPACE) awaitingValue = false;
  }
  if (layout.end < 0) layout.start = -1;
  return layout;
}

/**
 * Parses a telemetry body without holding the event loop for long: small bodies in one
 * `JSON.parse`; large ones are scanned (yielding every few MiB) and the `events` array parsed
 * a chunk at a time, yielding between chunks. Syntax errors name their byte offset.
 * @throws {@link ServerError} `INVALID_JSON`
 */
export async function parseBatch(body: Buffer, chunkSize: number): Promise<ParsedBatch> {
  if (body.length <= DIRECT_LIMIT) {
    const value = parse(body.toString('utf8'), (p) => p);
    const events = (value as { events?: unknown } | null)?.events;
    return { envelope: value, chunks: Array.isArray(events) ? chunk(events, chunkSize) : null };
  }
  let first = 0;
  while (first < body.length && body[first]! <= SPACE) first++;
  if (body[first] !== OPEN_OBJ) return { envelope: [], chunks: null }; // not an object: the envelope check says so
  const { start, end, cuts } = await scan(body, chunkSize);
  if (start < 0) return { envelope: parse(body.toString('utf8'), (p) => p), chunks: null };
  const removed = end + 1 - start - 2;
  const head = body.toString('utf8', 0, start);
  const envelope = parse(`${head}[]${body.toString('utf8', end + 1)}`, (p) => (p < start ? p : p + removed));
  const chunks: unknown[][] = [];
  let from = start + 1;
  for (const stop of [...cuts, end]) {
    const offset = from;
    const text = body.toString('utf8', from, stop);
    const part = parse(`[${text}]`, (p) => offset + p - 1) as unknown[];
    if (part.length > 0) chunks.push(part);
    from = stop + 1;
    await yieldToLoop();
  }
  return { envelope, chunks };
}
