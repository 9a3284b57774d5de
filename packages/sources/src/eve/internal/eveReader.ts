import type { ConnectionEvent } from '@beacon/detector';
import type { OpenedInput } from '../../internal/input.js';
import { LineSplitter } from '../../internal/lines.js';
import type { Sink } from '../../internal/stats.js';
import type { EveOptions } from '../readSuricataEve.js';
import { EveFlowParser, fieldsFromRow } from './eveFlow.js';
import { emptyFields, type FlowFields } from './flowFields.js';
import { FlowLineScanner } from './scanFlowLine.js';
import { eveName, eveNameFromBytes } from './eveNames.js';
import { BytePattern } from './bytePattern.js';
import { NameJoin } from './nameJoin.js';

const OPEN_BRACE = 0x7b;
const QUOTE = 0x22;
const EVENT_TYPE_KEY = new BytePattern('"event_type":"');
const FLOW_ID_KEY = '"flow_id":';
const FLOW_ID_BYTES = new BytePattern(FLOW_ID_KEY);
/** Distinct event types counted one by one; any beyond are counted under `other`. */
const MAX_TYPES = 64;
/** Event types whose records carry a server name for the flow. */
const NAMED = new Set(['tls', 'http', 'dns']);

/** The exact decimal text of `flow_id` (a 64-bit id: a JS number would round it). */
function flowIdText(line: string): string | undefined {
  const at = line.indexOf(FLOW_ID_KEY);
  if (at < 0) return undefined;
  let i = at + FLOW_ID_KEY.length;
  while (line.charCodeAt(i) === 0x20) i++;
  const from = i;
  while (i < line.length && line.charCodeAt(i) >= 0x30 && line.charCodeAt(i) <= 0x39) i++;
  return i > from ? line.slice(from, i) : undefined;
}

/** The exact decimal text of `flow_id` in buf[start, end), read from the bytes. */
function flowIdBytes(buf: Buffer, start: number, end: number): string | undefined {
  const at = FLOW_ID_BYTES.find(buf, start, end);
  if (at < 0) return undefined;
  let i = at + FLOW_ID_BYTES.bytes.length;
  while (buf[i] === 0x20) i++;
  const from = i;
  while (i < end && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x39) i++;
  return i > from ? buf.toString('latin1', from, i) : undefined;
}

/**
 * Event type names met so far, matched on the bytes: an EVE file has a handful of types, and a
 * string per line for the one in hand would be garbage on every line. At most {@link MAX_TYPES}
 * are kept; beyond them, the text is made each time.
 */
class TypeNames {
  private readonly bytes: Uint8Array[] = [];
  private readonly names: string[] = [];

  text(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    const all = this.bytes;
    for (let i = 0; i < all.length; i++) {
      const b = all[i] as Uint8Array;
      if (b.length !== len) continue;
      let j = 0;
      while (j < len && buf[start + j] === b[j]) j++;
      if (j === len) return this.names[i] as string;
    }
    const name = buf.toString('latin1', start, end);
    if (all.length < MAX_TYPES) {
      all.push(Uint8Array.from(buf.subarray(start, end)));
      this.names.push(name);
    }
    return name;
  }
}

/**
 * Reads Suricata EVE JSON lines. Each line's `event_type` is found on the raw bytes (Suricata
 * writes compact JSON, `"event_type":"flow"`); only `flow` records and the records that name a
 * flow (`tls`, `http`, `dns`) are decoded and parsed, every other type is counted and skipped
 * without parsing, which is most of an EVE file's volume (alerts, stats, fileinfo, anomaly).
 * Flow records are read by a byte scanner ({@link FlowLineScanner}); lines it declines go
 * through JSON.parse, which also words the error.
 */
export async function* readEve(opened: OpenedInput, sink: Sink, options: EveOptions): AsyncGenerator<ConnectionEvent[]> {
  const stats = sink.stats;
  stats.format = 'suricata-eve';
  const eve = { eventTypes: {} as Record<string, number>, names: { joined: 0, pending: 0, dropped: 0 } };
  stats.eve = eve;
  const node = options.node ?? `eve:${opened.name}`;
  const flows = new EveFlowParser(node);
  const scanner = new FlowLineScanner(emptyFields());
  const slowFields = emptyFields();
  const names = new NameJoin(options.maxPendingNames ?? 65_536, eve.names);
  const types = new TypeNames();
  let distinct = 0;
  const countType = (type: string): void => {
    const known = eve.eventTypes[type];
    if (known !== undefined) eve.eventTypes[type] = known + 1;
    else if (distinct < MAX_TYPES) {
      distinct++;
      eve.eventTypes[type] = 1;
    } else eve.eventTypes.other = (eve.eventTypes.other ?? 0) + 1;
  };
  const bad = (line: number, last: boolean, message: string): void => {
    if (last) sink.problem({ kind: 'truncated_record', line, message: `last line cut short: ${message}` });
    else sink.problem({ kind: 'garbled_line', line, message });
  };

  /** The flow id of the record being built, for {@link takeName}. */
  let buildingFlowId: string | undefined;
  const takeName = (): string | undefined => (buildingFlowId === undefined ? undefined : names.take(buildingFlowId));
  const emitFlow = (fields: FlowFields, line: number, last: boolean, flowId: string | undefined): void => {
    buildingFlowId = flowId;
    const result = flows.build(fields, takeName);
    if (typeof result === 'string') {
      if (result === 'skip') stats.skipped.nonTcpUdp++;
      else bad(line, last, result);
      return;
    }
    sink.push(result);
  };

  const splitter = new LineSplitter((buf, s, e, line, last) => {
    // Blank lines (and whitespace-only ones) are not records.
    let p = s;
    while (p < e && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
    if (p === e) return;
    stats.records++;
    if (buf[p] !== OPEN_BRACE) {
      bad(line, last, 'not a JSON object');
      return;
    }
    // Find the event type on the bytes; a record written with spaces is parsed to find it.
    let type: string | undefined;
    const k = EVENT_TYPE_KEY.find(buf, p, e);
    if (k >= 0) {
      const v = k + EVENT_TYPE_KEY.bytes.length;
      let q = v;
      while (q < e && buf[q] !== QUOTE) q++;
      if (q > v && q < e) type = types.text(buf, v, q);
    }
    if (type !== undefined && type !== 'flow' && !NAMED.has(type)) {
      countType(type);
      stats.skipped.eventTypes++;
      return;
    }
    if (type !== undefined && type !== 'flow') {
      const fast = eveNameFromBytes(type, buf, p, e);
      if (fast !== null) {
        countType(type);
        stats.skipped.eventTypes++;
        if (fast !== undefined) {
          const flowId = flowIdBytes(buf, p, e);
          if (flowId !== undefined) names.add(flowId, fast);
        }
        return;
      }
    }
    if (type === 'flow' && scanner.scan(buf, p, e)) {
      countType(type);
      emitFlow(scanner.fields, line, last, eve.names.pending > 0 ? flowIdBytes(buf, p, e) : undefined);
      return;
    }
    const text = buf.toString('utf8', p, e);
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      bad(line, last, `bad JSON: ${(err as Error).message}`);
      return;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      bad(line, last, 'not a JSON object');
      return;
    }
    if (type === undefined) {
      if (typeof row.event_type !== 'string' || row.event_type === '') {
        bad(line, last, 'event_type: missing or not a string');
        return;
      }
      type = row.event_type;
      if (type !== 'flow' && !NAMED.has(type)) {
        countType(type);
        stats.skipped.eventTypes++;
        return;
      }
    }
    countType(type);
    const flowId = flowIdText(text);
    if (type !== 'flow') {
      stats.skipped.eventTypes++;
      const name = eveName(type, row);
      if (name !== undefined && flowId !== undefined) names.add(flowId, name);
      return;
    }
    fieldsFromRow(row, slowFields);
    emitFlow(slowFields, line, last, flowId);
  });

  for await (const chunk of opened.chunks) {
    stats.bytes += chunk.length;
    splitter.push(chunk);
    for (const batch of sink.take()) yield batch;
  }
  splitter.end();
  if (opened.truncatedGzip()) {
    sink.problem({ kind: 'truncated_record', line: splitter.lines, offset: stats.bytes, message: `gzip stream cut short after ${stats.bytes} decompressed bytes` });
  }
  for (const batch of sink.take(true)) yield batch;
}
