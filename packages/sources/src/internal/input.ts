import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../errors.js';
import type { SourceInput } from '../types.js';

/** An input opened for reading, with its first bytes already peeked (after decompression). */
export interface OpenedInput {
  /** File name for messages and node ids, `stream` for streams. */
  name: string;
  gzip: boolean;
  /** The first bytes of content (possibly empty), also the first chunk of `chunks`. */
  head: Buffer;
  /** All content chunks, `head` first. Ends early (not throwing) on a truncated gzip stream. */
  chunks: AsyncIterable<Buffer>;
  /** Set when the gzip stream ended in the middle of a member. */
  truncatedGzip: () => boolean;
}

const HEAD_BYTES = 16;
/** Text content is peeked up to its first line end (at most this much), so JSON lines can be told apart. */
const HEAD_LINE_BYTES = 64 * 1024;

/** Enough to sniff: 16 bytes, and for text starting with `{` the whole first line. */
function headComplete(parts: Buffer[], size: number): boolean {
  if (size < HEAD_BYTES) return false;
  const first = parts[0] as Buffer;
  if (first[0] !== 0x7b || size >= HEAD_LINE_BYTES) return true;
  return parts.some((p) => p.includes(10));
}

async function* asBuffers(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    if (typeof chunk === 'string') yield Buffer.from(chunk);
    else yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Reads until at least `HEAD_BYTES` are buffered (or the input ends) and returns them with the rest. */
async function peek(source: AsyncIterable<Buffer>): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let done = false;
  while (!headComplete(parts, size)) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    parts.push(r.value);
    size += r.value.length;
  }
  const head = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      await it.return?.();
    }
  }
  return { head, rest: rest() };
}

function wrapIoError(name: string, err: unknown, opening: boolean): SourceError {
  const msg = err instanceof Error ? err.message : String(err);
  return new SourceError(opening ? 'OPEN_FAILED' : 'READ_FAILED', `${name}: ${msg}`, { cause: err });
}

/**
 * Opens a path or stream, detects gzip by its magic (1f 8b) and decompresses it, and peeks at
 * the first bytes so callers can sniff the format.
 */
export async function openInput(input: SourceInput, chunkSize: number = 1 << 20): Promise<OpenedInput> {
  const name = typeof input === 'string' ? basename(input) : 'stream';
  const raw: AsyncIterable<Uint8Array> =
    typeof input === 'string' ? createReadStream(input, { highWaterMark: chunkSize }) : input;
  let first: { head: Buffer; rest: AsyncIterable<Buffer> };
  try {
    first = await peek(asBuffers(raw));
  } catch (err) {
    throw wrapIoError(name, err, true);
  }
  if (!(first.head.length >= 2 && first.head[0] === 0x1f && first.head[1] === 0x8b)) {
    return { name, gzip: false, head: first.head, chunks: guard(name, first.rest), truncatedGzip: () => false };
  }
  let truncated = false;
  const gunzip = createGunzip({ chunkSize: Math.max(chunkSize, 64 * 1024) });
  const plain = pipeline(Readable.from(first.rest), gunzip, () => {});
  async function* unzipped(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of plain) yield chunk as Buffer;
    } catch (err) {
      // A gzip file cut short: keep what was decompressed, let the reader report it.
      if ((err as { code?: unknown }).code === 'Z_BUF_ERROR') truncated = true;
      else throw err;
    }
  }
  const second = await peek(guard(name, unzipped()));
  return { name, gzip: true, head: second.head, chunks: second.rest, truncatedGzip: () => truncated };
}

async function* guard(name: string, source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw wrapIoError(name, err, false);
  }
}
