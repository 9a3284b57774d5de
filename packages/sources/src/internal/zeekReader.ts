import type { ConnectionEvent } from '@beacon/detector';
import type { ZeekLabel, ZeekOptions } from '../readZeekConnLog.js';
import type { OpenedInput } from './input.js';
import { LineSplitter, MAX_LINE } from './lines.js';
import type { Sink } from './stats.js';
import { labelOf } from './zeekLabel.js';
import { applyHeader, defaultLayout, layoutUsable } from './zeekLayout.js';
import { JsonRowParser } from './zeekJsonRow.js';
import { TsvRowParser } from './zeekTsvRow.js';
import type { ZeekNameJoin } from './zeekNames.js';
import type { ZeekLayout } from './zeekLayout.js';
import { SourceError } from '../errors.js';
import type { RowWriter } from '../columns.js';

/**
 * The shard of a TSV data row: FNV-1a of the bytes of its `id.orig_h` column, modulo `count`.
 * Only the columns up to `id.orig_h` are scanned, so a row of another shard costs a few byte
 * compares. -1 when the row has too few columns (shard 0 then counts it as damaged).
 */
function tsvShard(buf: Buffer, s: number, e: number, layout: ZeekLayout, count: number): number {
  const sep = layout.sep;
  let from = s;
  for (let c = layout.col.origH; c > 0; c--) {
    const t = buf.indexOf(sep, from);
    if (t < 0 || t >= e) return -1;
    from = t + 1;
  }
  let h = 0x811c9dc5;
  for (let i = from; i < e; i++) {
    const b = buf[i] as number;
    if (b === sep) break;
    h = Math.imul(h ^ b, 0x01000193);
  }
  return (h >>> 0) % count;
}

function checkShard(shard: ZeekOptions['shard']): { index: number; count: number } | undefined {
  if (shard === undefined) return undefined;
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new SourceError('INVALID_OPTION', `shard.count must be an integer from 1 to 256, got ${JSON.stringify(count)}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new SourceError('INVALID_OPTION', `shard.index must be an integer from 0 to ${count - 1}, got ${JSON.stringify(index)}`);
  return count === 1 ? undefined : { index, count };
}

/** First non-blank byte of the content decides TSV or JSON lines (the reader accepts both anyway). */
export function sniffZeek(head: Buffer): 'zeek-tsv' | 'zeek-json' {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === 0x7b ? 'zeek-json' : 'zeek-tsv';
}

/**
 * Reads Zeek conn.log lines (TSV with headers, or JSON lines) into flow-start events. Written
 * here rather than taken from npm: Zeek's TSV header rules are small, and no maintained npm
 * package reads them, let alone at 500k rows/s on Buffers.
 */
export function readZeek(opened: OpenedInput, sink: Sink, options: ZeekOptions, names?: ZeekNameJoin): AsyncGenerator<ConnectionEvent[]> {
  return readZeekInto(opened, sink, options, names, undefined) as AsyncGenerator<ConnectionEvent[]>;
}

/** {@link readZeek} writing its events into `cols` and yielding its batches (no labels, no name join). */
export function readZeekColumns<B>(opened: OpenedInput, sink: Sink, options: ZeekOptions, cols: RowWriter<B>, read: { lines: number }): AsyncGenerator<B> {
  return readZeekInto(opened, sink, options, undefined, cols, read) as AsyncGenerator<B>;
}

/** `read.lines`: lines split so far (every line: data, header, blank), kept up to date per chunk. */
async function* readZeekInto(opened: OpenedInput, sink: Sink, options: ZeekOptions, names: ZeekNameJoin | undefined, cols: RowWriter<unknown> | undefined, read: { lines: number } = { lines: 0 }): AsyncGenerator<unknown> {
  const stats = sink.stats;
  const shard = checkShard(options.shard);
  /** Shard 0 (or no sharding) counts what belongs to no row's shard. */
  const first = shard === undefined || shard.index === 0;
  stats.format = sniffZeek(opened.head);
  const node = options.node ?? `zeek:${opened.name}`;
  const onLabel = options.onLabel;
  const layout = defaultLayout();
  const tsv = new TsvRowParser(layout, node, onLabel !== undefined);
  const json = new JsonRowParser(node);
  const nodeId = cols === undefined ? 0 : cols.stringId(node);
  if (names !== undefined) tsv.wantUid = true;
  let usable = false;
  let lastParser: TsvRowParser | JsonRowParser = tsv;
  let warnedNoHeader = false;
  const emitLabel = (event: ConnectionEvent, label: string | undefined, detailed: string | undefined): void => {
    if (onLabel === undefined || (label === undefined && detailed === undefined)) return;
    const l: ZeekLabel = labelOf(label, detailed);
    onLabel(event, l);
  };
  const splitter = new LineSplitter((buf, s, e, line, last, overlong) => {
    if (e === s) return;
    if (overlong) {
      if (!first) return;
      stats.records++;
      sink.problem({ kind: 'garbled_line', line, message: `line longer than ${MAX_LINE} bytes; skipped` });
      return;
    }
    const c0 = buf[s];
    if (c0 === 0x23) {
      const text = buf.toString('latin1', s, e);
      const err = applyHeader(layout, text);
      if (text.startsWith('#fields')) {
        usable = layoutUsable(layout);
        warnedNoHeader = false;
      }
      if (err !== undefined && first) sink.problem({ kind: 'garbled_header', line, message: err });
      return;
    }
    const parser = c0 === 0x7b ? json : tsv;
    lastParser = parser;
    if (shard !== undefined) {
      const owner = parser === tsv && usable ? tsvShard(buf, s, e, layout, shard.count) : -1;
      if (owner !== shard.index && (owner >= 0 || !first)) return;
    }
    stats.records++;
    if (parser === tsv && !usable) {
      // Every such line is counted; it is reported once per header block.
      if (warnedNoHeader) stats.problems.garbled_line++;
      else sink.problem({ kind: 'garbled_line', line, message: 'data line without a usable #fields header' });
      warnedNoHeader = true;
      return;
    }
    if (cols !== undefined && parser === tsv) {
      // straight into the columns: no event object
      if (tsv.parseInto(buf, s, e, cols, nodeId)) {
        stats.events++;
        stats.eventsByKind.flow_start++;
      } else failed(line, last);
      return;
    }
    const event = parser.parse(buf, s, e);
    if (event === undefined) {
      failed(line, last);
      return;
    }
    if (cols !== undefined) {
      cols.add(event);
      stats.events++;
      stats.eventsByKind[event.kind]++;
      return;
    }
    // named before the chunk's batches are handed on (the name logs may need reading first)
    if (names !== undefined) names.note(event, parser.uid);
    sink.push(event);
    emitLabel(event, parser.label, parser.detailedLabel);
  });
  /** Counts a row that gave no event, by why (`tsv`'s or `json`'s last error). */
  const failed = (line: number, last: boolean): void => {
    const parser = lastParser;
    if (parser.unknownProtocol) stats.skipped.nonTcpUdp++;
    else if (last) sink.problem({ kind: 'truncated_record', line, message: `last line cut short: ${parser.error}` });
    else sink.problem({ kind: 'garbled_line', line, message: parser.error });
  };
  for await (const chunk of opened.chunks) {
    stats.bytes += chunk.length;
    splitter.push(chunk);
    read.lines = splitter.lines;
    if (names !== undefined) await names.resolve();
    if (cols !== undefined) for (const batch of cols.take()) yield batch;
    else for (const batch of sink.take()) yield batch;
  }
  splitter.end();
  read.lines = splitter.lines;
  if (names !== undefined) await names.resolve();
  if (opened.truncatedGzip() && first) {
    sink.problem({
      kind: 'truncated_record',
      line: splitter.lines,
      offset: stats.bytes,
      message: `gzip stream cut short after ${stats.bytes} decompressed bytes`,
    });
  }
  if (cols !== undefined) for (const batch of cols.take(true)) yield batch;
  else for (const batch of sink.take(true)) yield batch;
}
