import { SourceError } from './errors.js';
import { readCapture, readCaptureRows, sniffCapture } from './internal/captureReader.js';
import { openInput, type OpenedInput } from './internal/input.js';
import { makeColumnSource, makeSource } from './internal/source.js';
import { readZeek, readZeekColumns, sniffZeek } from './internal/zeekReader.js';
import type { EventColumns, RowWriter } from './columns.js';
import { readEve } from './eve/internal/eveReader.js';
import { sniffEve } from './eve/internal/sniffEve.js';
import type { EveOptions } from './eve/readSuricataEve.js';
import type { PcapOptions } from './readPcap.js';
import type { ColumnSource, ZeekOptions } from './readZeekConnLog.js';
import type { EventSource, SourceFormat, SourceInput } from './types.js';

/** Options of {@link openSource}: the format, plus the options of whichever reader it picks. */
export interface OpenSourceOptions extends ZeekOptions, PcapOptions, EveOptions {
  /**
   * `auto` sniffs the content (after gunzip): pcap/pcapng magic numbers, `#` for Zeek TSV,
   * a first JSON line with `event_type` for Suricata EVE, other `{` lines for Zeek JSON.
   * @default 'auto'
   */
  format?: 'auto' | 'zeek' | 'pcap' | 'eve';
}

/** The format {@link openSource} picked from the first bytes, or undefined if none fits. */
function sniff(head: Buffer): 'zeek' | 'pcap' | 'eve' | undefined {
  if (sniffCapture(head) !== undefined) return 'pcap';
  if (sniffEve(head)) return 'eve';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i === head.length) return 'zeek';
  return head[i] === 0x23 || head[i] === 0x7b ? 'zeek' : undefined;
}

/**
 * Opens a Zeek conn.log, a Suricata eve.json or a pcap/pcapng capture, gzip-compressed or not, recognising the
 * format from its content. Rejects with a {@link SourceError} (`OPEN_FAILED`,
 * `UNKNOWN_FORMAT`) before any event is read.
 * @example
 * const source = await openSource(process.argv[2]);
 * for await (const batch of source) detector.ingest(batch);
 * console.log(source.stats.format, source.stats.records);
 */
export async function openSource(input: SourceInput, options: OpenSourceOptions = {}): Promise<EventSource> {
  const opened = await openInput(input, options.chunkSize);
  const format = formatOf(opened, options);
  const read = format === 'pcap' ? readCapture : format === 'eve' ? readEve : readZeek;
  return makeSource(input, options, (o, sink) => read(o, sink, options), opened);
}

/** The format to read an opened input as, or a SourceError `UNKNOWN_FORMAT`. */
function formatOf(opened: OpenedInput, options: OpenSourceOptions): 'zeek' | 'pcap' | 'eve' {
  const f = options.format;
  const format = f === 'zeek' || f === 'pcap' || f === 'eve' ? f : sniff(opened.head);
  if (format === undefined) {
    const start = opened.head.subarray(0, 8).toString('hex');
    throw new SourceError('UNKNOWN_FORMAT', `${opened.name}: neither a Zeek log, a Suricata EVE log nor a pcap/pcapng capture (starts with ${start})`);
  }
  return format;
}

/** What {@link openColumnSource} opened: a Zeek log or a capture as columns, an EVE log as events. */
export type OpenedSource<B = EventColumns> = { kind: 'columns'; source: ColumnSource<B> } | { kind: 'events'; source: EventSource };

/**
 * Opens any input {@link openSource} reads, recognised the same way, and reads a Zeek log
 * (TSV or JSON, gzipped or not) or a pcap/pcapng capture into `columns` (a {@link RowWriter}):
 * no event object per row or flow event. Suricata EVE logs are returned as an ordinary
 * {@link EventSource}. Use it where a consumer keeps no event (a detector) and wants the
 * cheapest path for every format. `onLabel` is not called for columns: read labelled logs with
 * {@link openSource}. `lines` of a capture's column source stays 0.
 * @example
 * const opened = await openColumnSource('conn.log.gz', new EventColumnsEncoder());
 * if (opened.kind === 'columns') for await (const batch of opened.source) console.log(batch.count);
 */
export async function openColumnSource<B = EventColumns>(input: SourceInput, columns: RowWriter<B>, options: OpenSourceOptions = {}): Promise<OpenedSource<B>> {
  const opened = await openInput(input, options.chunkSize);
  const format = formatOf(opened, options);
  if (format === 'eve') return { kind: 'events', source: makeSource(input, options, (o, sink) => readEve(o, sink, options), opened) };
  const source = makeColumnSource<B>(input, options, (o, sink, read) => (format === 'pcap' ? readCaptureRows(o, sink, options, columns) : readZeekColumns(o, sink, options, columns, read)), opened);
  return { kind: 'columns', source };
}

/**
 * What a file is, as {@link openSource} would read it, from its first bytes only (no record is
 * parsed): the format and whether it is gzipped. Throws the same `SourceError`s as
 * {@link openSource} (`OPEN_FAILED`, `UNKNOWN_FORMAT`).
 * @example
 * const { format, gzip } = await sniffSource('conn.log.gz'); // { format: 'zeek-tsv', gzip: true }
 */
export async function sniffSource(input: SourceInput, options: Pick<OpenSourceOptions, 'format' | 'chunkSize'> = {}): Promise<{ format: SourceFormat; gzip: boolean }> {
  const opened = await openInput(input, options.chunkSize);
  try {
    const format = formatOf(opened, options);
    const head = opened.head;
    const exact: SourceFormat = format === 'pcap' ? (sniffCapture(head) ?? 'pcap') : format === 'eve' ? 'suricata-eve' : sniffZeek(head);
    return { format: exact, gzip: opened.gzip };
  } finally {
    // started and stopped at once: the file is closed without reading further
    for await (const _ of opened.chunks) break;
  }
}
