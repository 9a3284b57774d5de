import type { ConnectionEvent } from '@beacon/detector';
import { ServerError } from '../serverError.js';
import { MAX_NODE_ID_LENGTH, decodeEnvelope, decodeTelemetryEvent, eventFromFields, isRejectedEvent, TelemetryFormatError, WireFields, type RejectedEvent, type TelemetryEnvelope } from './decode.js';
import { BAIL, BatchReader } from './batchReader.js';
import { parseBatch } from './parseBatch.js';
import { yieldToLoop } from '../internal/yieldToLoop.js';

const MAX_LISTED = 20;

/** Validated events of one chunk, with each one's index in the batch (for rejection paths). */
export interface DecodedChunk {
  events: ConnectionEvent[];
  wireIndex: Int32Array;
}

/** A telemetry body, validated: the envelope, the good events in chunks, and the rejections. */
export interface DecodedBatch {
  envelope: TelemetryEnvelope;
  /** `node_id`, or the `X-Node-ID` header when the body names none. */
  nodeId: string;
  chunks: DecodedChunk[];
  /** Events in the batch. */
  received: number;
  rejected: number;
  /** The first rejections, in batch order. */
  rejections: RejectedEvent[];
}

function envelopeOf(value: unknown, hasEvents: boolean, nodeHeader: string | undefined): { envelope: TelemetryEnvelope; nodeId: string } {
  try {
    const envelope = decodeEnvelope(value);
    if (!hasEvents) throw new TelemetryFormatError('events', 'must be an array');
    if (nodeHeader !== undefined && nodeHeader.length > MAX_NODE_ID_LENGTH) throw new TelemetryFormatError('X-Node-ID', `must be at most ${MAX_NODE_ID_LENGTH} characters`);
    return { envelope, nodeId: envelope.nodeId === 'unknown' && nodeHeader ? nodeHeader : envelope.nodeId };
  } catch (error) {
    if (error instanceof TelemetryFormatError) throw new ServerError('BAD_REQUEST', error.message, { path: error.path, cause: error });
    throw error;
  }
}

function note(out: DecodedBatch, r: RejectedEvent): void {
  out.rejected++;
  if (out.rejections.length < MAX_LISTED) out.rejections.push(r);
}

/**
 * The usual way: a {@link BatchReader} builds the events straight from the bytes, `chunkSize`
 * at a time with a yield to the event loop between chunks. Returns null when the body needs the
 * general parser (a syntax error, or something unusual).
 */
export async function fast(body: Buffer, chunkSize: number, nodeHeader: string | undefined): Promise<DecodedBatch | null> {
  const reader = new BatchReader(body);
  const f = new WireFields();
  const chunks: DecodedChunk[] = [];
  const rejections: RejectedEvent[] = [];
  // Events without their own node_id take the batch's, known only once the envelope is read.
  const needNode: ConnectionEvent[] = [];
  let rejected = 0;
  try {
    reader.begin();
    while (reader.more) {
      const events: ConnectionEvent[] = [];
      const wireIndex = new Int32Array(chunkSize);
      const stop = reader.count + chunkSize;
      while (reader.more && reader.count < stop) {
        const index = reader.count;
        if (!reader.next(f)) {
          rejected++;
          if (rejections.length < MAX_LISTED) rejections.push({ path: `events[${index}]`, message: 'must be an object' });
          continue;
        }
        const r = eventFromFields(f, index, '');
        if (isRejectedEvent(r)) {
          rejected++;
          if (rejections.length < MAX_LISTED) rejections.push(r);
          continue;
        }
        if (f.node === undefined || f.node === null) needNode.push(r);
        wireIndex[events.length] = index;
        events.push(r);
      }
      chunks.push({ events, wireIndex });
      if (reader.more) await yieldToLoop();
    }
    reader.finish();
  } catch (error) {
    if (error === BAIL) return null;
    throw error;
  }
  const head = body.toString('utf8', 0, reader.eventsStart);
  const { envelope, nodeId } = envelopeOf(JSON.parse(`${head}[]${body.toString('utf8', reader.eventsEnd + 1)}`), true, nodeHeader);
  for (const e of needNode) e.node = nodeId;
  return { envelope, nodeId, chunks, received: reader.count, rejected, rejections };
}

/** The general way: JSON.parse (in pieces for large bodies), then each event checked. */
export async function general(body: Buffer, chunkSize: number, nodeHeader: string | undefined): Promise<DecodedBatch> {
  const batch = await parseBatch(body, chunkSize);
  const { envelope, nodeId } = envelopeOf(batch.envelope, batch.chunks !== null, nodeHeader);
  const out: DecodedBatch = { envelope, nodeId, chunks: [], received: 0, rejected: 0, rejections: [] };
  let index = 0;
  for (const chunk of batch.chunks ?? []) {
    const events: ConnectionEvent[] = [];
    const wireIndex = new Int32Array(chunk.length);
    for (let i = 0; i < chunk.length; i++, index++) {
      const result = decodeTelemetryEvent(chunk[i], index, nodeId);
      if (isRejectedEvent(result)) note(out, result);
      else {
        wireIndex[events.length] = index;
        events.push(result);
      }
    }
    out.chunks.push({ events, wireIndex });
    if (out.chunks.length > 1) await yieldToLoop();
  }
  out.received = index;
  return out;
}

/**
 * Parses and validates a telemetry body without holding the event loop for long. The envelope
 * is checked and every event decoded before anything is ingested, so a refused batch leaves no
 * trace. Bad events are rejected one by one (`events[12].src_ip`).
 * @throws {@link ServerError} `INVALID_JSON` (with the byte offset) or `BAD_REQUEST` (with the path)
 */
export async function decodeBatch(body: Buffer, chunkSize: number, nodeHeader?: string): Promise<DecodedBatch> {
  return (await fast(body, chunkSize, nodeHeader)) ?? general(body, chunkSize, nodeHeader);
}
