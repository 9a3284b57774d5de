import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ConnectionEvent } from '@beacon/detector';
import { EventColumnsDecoder, EventColumnsEncoder, readZeekConnColumns, sniffSource, type EventColumns, type SourceFormat, type SourceProblem, type SourceStats } from '@beacon/sources';
import { parseChunk, type ParsedChunk } from './parseChunk.js';
import type { Hunt } from '../../createHunt.js';
import type { FileReport, ReadOptions } from '../../huntFiles.js';
import type { ParsePool, ParseWorker } from './parsePool.js';

/** Bytes per chunk handed to a worker (cut back to the last whole line). */
const CHUNK_BYTES = 4 << 20;
/** The first chunk's size; each next one is 4 times larger, up to CHUNK_BYTES. */
const FIRST_CHUNK_BYTES = 256 << 10;
/** Never less than this per chunk, whatever a test asks for. */
const MIN_CHUNK_BYTES = 256;
/** Events per batch pushed into the hunt. */
const BATCH = 4096;
/** Problems a worker reports in full per chunk (all are counted). */
const MAX_PROBLEMS = 1000;
/** Problem samples kept in the merged stats (the readers' default). */
const MAX_SAMPLES = 20;

const NL = 0x0a;
const HASH = 0x23;

/**
 * Reads one file through parse workers into the hunt. A plain (not gzipped) Zeek log is cut
 * into chunks of whole lines that the workers parse side by side, each under the header lines
 * before it; the events are pushed in file order. Anything else (captures, gzip, any format a
 * reader needs whole) is read by one worker while this thread runs the detector. The format is
 * recognised by `sniffSource` of `@beacon/sources`, the one place that knows formats.
 */
export async function feedParallel(hunt: Hunt, file: string, options: ReadOptions & { chunkBytes?: number | undefined; parallel?: { start?: 'auto' | 'local' | 'wait' } | undefined }, pool: ParsePool, onBytes?: (bytesRead: number) => void): Promise<FileReport> {
  const { format, gzip } = await sniffSource(file, { format: options.format ?? 'auto' });
  const chunkable = !gzip && (format === 'zeek-tsv' || format === 'zeek-json');
  return chunkable ? feedChunks(hunt, file, options, format, pool.take(pool.size), Math.max(MIN_CHUNK_BYTES, options.chunkBytes ?? CHUNK_BYTES), options.parallel?.start ?? 'auto', onBytes) : feedWhole(hunt, file, options, (pool.take(1) as [ParseWorker])[0], onBytes);
}

function pushAll(hunt: Hunt, file: string, decoder: EventColumnsDecoder, events: EventColumns, options: ReadOptions): void {
  decoder.absorb(events);
  for (let from = 0; from < events.count; from += BATCH) {
    const to = Math.min(events.count, from + BATCH);
    const batch: ConnectionEvent[] = decoder.decode(events, from, to);
    options.onEvents?.(file, batch);
    hunt.push(batch, decoder.pairHints(events, from, to));
  }
}

async function feedWhole(hunt: Hunt, file: string, options: ReadOptions, w: ParseWorker, onBytes?: (bytesRead: number) => void): Promise<FileReport> {
  const fileOptions: Extract<Parameters<ParseWorker['send']>[0], { type: 'file' }>['options'] = { format: options.format ?? 'auto' };
  if (options.idleGapSec !== undefined) fileOptions.idleGapSec = options.idleGapSec;
  if (options.flowTimeoutSec !== undefined) fileOptions.flowTimeoutSec = options.flowTimeoutSec;
  w.send({ type: 'file', file, options: fileOptions });
  for (;;) {
    const m = await w.next();
    for (const p of m.problems) options.onProblem?.(file, p);
    if (m.type === 'end') return { file, stats: m.stats };
    if (m.type !== 'batch') continue;
    w.send({ type: 'ack' });
    pushAll(hunt, file, w.decoder, m.events, options);
    onBytes?.(m.bytes);
  }
}

/** Chunks of whole lines, and the header lines in force before each. */
async function* chunksOf(file: string, chunkBytes: number): AsyncGenerator<{ header: Buffer; bytes: Buffer }> {
  const fh = await open(file, 'r');
  try {
    let header: Buffer = Buffer.alloc(0);
    let carry: Buffer = Buffer.alloc(0);
    for (let k = 0; ; k++) {
      // Small chunks first, so the detector has work while the next ones are parsed; then
      // chunkBytes. Its own ArrayBuffer (never Node's shared pool), so it can be transferred.
      const size = Math.min(chunkBytes, FIRST_CHUNK_BYTES * 4 ** Math.min(k, 8));
      const buf = Buffer.from(new ArrayBuffer(Math.max(size, carry.length + 1)));
      carry.copy(buf, 0);
      const { bytesRead } = await fh.read(buf, carry.length, buf.length - carry.length, null);
      const filled = carry.length + bytesRead;
      if (filled === 0) return;
      const eof = bytesRead === 0 || filled < buf.length;
      let cut = eof ? filled : buf.lastIndexOf(NL, filled - 1) + 1;
      if (cut === 0) cut = filled; // a line longer than a chunk: the reader reports it
      const bytes = buf.subarray(0, cut);
      // Everything read from the buffer is taken before it is handed over (and transferred).
      const before = header;
      header = nextHeader(header, bytes);
      carry = Buffer.from(buf.subarray(cut, filled));
      yield { header: before, bytes };
      if (eof && carry.length === 0) return;
    }
  } finally {
    await fh.close();
  }
}

/** The header lines in force after `bytes`: those of its last header block, if it has any. */
function nextHeader(header: Buffer, bytes: Buffer): Buffer {
  const lines: Buffer[] = [header];
  let found = false;
  // '#' is rare in a log: a byte search (memchr) finds the candidates, then each must start a line.
  for (let at = bytes.indexOf(HASH); at >= 0; at = bytes.indexOf(HASH, at + 1)) {
    if (at > 0 && bytes[at - 1] !== NL) continue;
    const end = bytes.indexOf(NL, at);
    const line = bytes.subarray(at, end < 0 ? bytes.length : end + 1);
    // A #separator line starts a new header block (a rotated log appended to another).
    if (line.subarray(0, 10).toString('latin1') === '#separator') lines.length = 0;
    lines.push(end < 0 ? Buffer.concat([line, Buffer.from('\n')]) : line);
    found = true;
    if (end < 0) break;
    at = end;
  }
  return found ? Buffer.concat(lines) : header;
}

async function feedChunks(hunt: Hunt, file: string, options: ReadOptions, format: SourceFormat, workers: ParseWorker[], chunkBytes: number, start: 'auto' | 'local' | 'wait', onBytes?: (bytesRead: number) => void): Promise<FileReport> {
  const node = `zeek:${basename(file)}`;
  // The file's counters: the sum of its chunks' (an empty file's when there is none).
  let stats: SourceStats | undefined;
  /** In file order; a chunk without a worker is parsed here (`w` undefined). */
  const inflight: Array<{ w: ParseWorker | undefined; header: Buffer; bytes: Uint8Array; headerLines: number; size: number }> = [];
  let next = 0;
  let lineBase = 0;
  const samples: SourceProblem[] = [];
  let bytesDone = 0;
  const chunks = chunksOf(file, chunkBytes);
  let exhausted = false;
  // While no worker has loaded yet (~0.1-0.2 s), this thread parses the chunks itself.
  let local: { encoder: EventColumnsEncoder; decoder: EventColumnsDecoder } | undefined;
  const dispatch = async (): Promise<void> => {
    const r = await chunks.next();
    if (r.done) {
      exhausted = true;
      return;
    }
    let headerLines = 0;
    for (let i = r.value.header.indexOf(NL); i >= 0; i = r.value.header.indexOf(NL, i + 1)) headerLines++;
    const bytes = new Uint8Array(r.value.bytes.buffer, r.value.bytes.byteOffset, r.value.bytes.length);
    const ready = start === 'wait' ? workers : start === 'local' ? [] : workers.filter((w) => w.ready);
    const w = ready.length === 0 ? undefined : (ready[next % ready.length] as ParseWorker);
    const id = next++;
    if (w !== undefined) w.send({ type: 'chunk', id, header: r.value.header, headerLines, bytes, node, maxProblems: MAX_PROBLEMS }, [bytes.buffer as ArrayBuffer]);
    inflight.push({ w, header: r.value.header, bytes, headerLines, size: bytes.length });
  };
  // Two chunks per worker in flight: one being parsed, one waiting. Memory stays bounded.
  while (!exhausted && inflight.length < workers.length * 2) await dispatch();
  while (inflight.length > 0) {
    const job = inflight.shift() as (typeof inflight)[number];
    let m: ParsedChunk;
    let decoder: EventColumnsDecoder;
    if (job.w === undefined) {
      local ??= { encoder: new EventColumnsEncoder(), decoder: new EventColumnsDecoder(options.onEvents === undefined) };
      m = await parseChunk(local.encoder, 0, job.header, job.headerLines, job.bytes, node, MAX_PROBLEMS);
      decoder = local.decoder;
    } else {
      const got = await job.w.next();
      if (got.type !== 'chunk') continue;
      m = got;
      decoder = job.w.decoder;
    }
    if (!exhausted) await dispatch();
    for (const p of m.problems) {
      // The header lines sent along with a chunk were counted with the chunk that holds them.
      if (p.line !== undefined && p.line <= job.headerLines) {
        m.stats.problems[p.kind]--;
        continue;
      }
      const problem: SourceProblem = p.line === undefined ? p : { ...p, line: lineBase + p.line - job.headerLines };
      if (samples.length < MAX_SAMPLES) samples.push(problem);
      options.onProblem?.(file, problem);
    }
    if (stats === undefined) stats = { ...m.stats, problemSamples: [] };
    else merge(stats as unknown as Record<string, unknown>, m.stats as unknown as Record<string, unknown>);
    lineBase += m.lines;
    for (const part of m.events) pushAll(hunt, file, decoder, part, options);
    bytesDone += job.size;
    onBytes?.(bytesDone);
  }
  let final: SourceStats;
  if (stats !== undefined) final = stats;
  else {
    // no chunk at all (an empty file): the counters of reading it
    const empty = readZeekConnColumns(file, new EventColumnsEncoder());
    for await (const _ of empty);
    final = { ...empty.stats, format };
  }
  final.problemSamples = samples.slice(0, MAX_SAMPLES);
  final.bytes = bytesDone;
  return { file, stats: final };
}

/**
 * Adds a chunk's counters to the file's: every number is a count over lines, so the sum over
 * chunks is the file's (whatever counters the reader grows). Text and lists are left as they are.
 */
function merge(into: Record<string, unknown>, s: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(s)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) merge((into[k] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
    else if (into[k] === undefined) into[k] = v;
  }
}
