import { promisify } from 'node:util';
import { gunzip, inflate, type ZlibOptions } from 'node:zlib';
import { ServerError } from '../serverError.js';

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<Buffer, ZlibOptions, Buffer>(inflate);
/** Decompressed bytes produced per zlib call. */
const OUTPUT_CHUNK = 1024 * 1024;

/** Limits of {@link readBody}. */
export interface BodyLimits {
  /** Largest body on the wire (compressed or not), bytes. */
  maxBodyBytes: number;
  /** Largest body after decompression, bytes. */
  maxDecompressedBytes: number;
}

function tooLarge(what: string, limit: number): ServerError {
  return new ServerError('PAYLOAD_TOO_LARGE', `${what} is larger than ${limit} bytes`, { path: '(body)' });
}

/** Bytes of a refused body still read (and dropped) so the client gets to read the 413. */
const LINGER_BYTES = 64 * 1024 * 1024;
/** Longest wait for those bytes, ms. */
const LINGER_MS = 2000;

/**
 * Reads and drops the rest of a refused body, at most LINGER_BYTES or LINGER_MS, as nginx's
 * lingering close does: a client that writes its whole body before reading (Python requests,
 * the original's data plane) would otherwise be reset mid-write and never see the 413. The
 * 413 itself says `Connection: close`.
 */
async function linger(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const deadline = Date.now() + LINGER_MS;
  let dropped = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), LINGER_MS)));
  try {
    while (dropped < LINGER_BYTES && Date.now() < deadline) {
      const r = await Promise.race([reader.read(), timeout]);
      if (r === 'timeout' || r.done) return;
      dropped += r.value.byteLength;
    }
  } catch {
    // the client went away: nothing left to linger for
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel().catch(() => undefined);
}

/**
 * Reads a request body into one Buffer, refusing (413) as soon as it passes the limit: the
 * declared Content-Length is checked first, then the bytes actually streamed, so a sender
 * that lies or streams forever is cut off without buffering more than the limit (the rest is
 * read and dropped, within bounds, before answering: see {@link linger}).
 */
async function readRaw(request: Request, limit: number): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    if (request.body !== null && Number(declared) <= LINGER_BYTES) await linger(request.body.getReader());
    else await request.body?.cancel().catch(() => undefined);
    throw tooLarge('request body', limit);
  }
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await linger(reader);
      throw tooLarge('request body', limit);
    }
    parts.push(value);
  }
  return parts.length === 1 ? Buffer.from(parts[0]!.buffer, parts[0]!.byteOffset, parts[0]!.byteLength) : Buffer.concat(parts, total);
}

/**
 * Reads and decompresses a request body (`Content-Encoding` gzip, x-gzip, deflate or
 * identity). Decompression runs off the event loop (zlib's thread pool) and stops at
 * `maxDecompressedBytes`, so a zip bomb costs at most that much memory and answers 413.
 * @throws {@link ServerError} `PAYLOAD_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE` or `BAD_REQUEST`
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Buffer> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate')
    throw new ServerError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not supported (use gzip, deflate or none)`);
  const raw = await readRaw(request, limits.maxBodyBytes);
  if (encoding === 'identity' || encoding === '') {
    if (raw.length > limits.maxDecompressedBytes) throw tooLarge('request body', limits.maxDecompressedBytes);
    return raw;
  }
  try {
    // Large output chunks: zlib's default (16 KiB) costs a thread-pool round trip and a callback per 16 KiB.
    const opts = { maxOutputLength: limits.maxDecompressedBytes, chunkSize: OUTPUT_CHUNK };
    return encoding === 'deflate' ? await inflateAsync(raw, opts) : await gunzipAsync(raw, opts);
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || cause instanceof RangeError)
      throw tooLarge('decompressed request body', limits.maxDecompressedBytes);
    throw new ServerError('BAD_REQUEST', `body is not valid ${encoding} data: ${(cause as Error).message}`, { path: '(body)', cause });
  }
}
