import type { ConnectionEvent } from '@beacon/detector';
import type { EventSource } from '../../types.js';

/** All events of a source, in order. */
export async function collect(source: EventSource): Promise<ConnectionEvent[]> {
  const out: ConnectionEvent[] = [];
  for await (const batch of source) out.push(...batch);
  return out;
}

/** Feeds `buf` in pieces of `size` bytes, to exercise carry-over between chunks. */
export async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
