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
export async function* readZeek(opened: OpenedInput, sink: Sink, options: ZeekOptions, names?: ZeekNameJoin): AsyncGenerator<ConnectionEvent[]> {
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
  if (names !== undefined) tsv.wantUid = true;
  let usable = false;
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
    const event = parser.parse(buf, s, e);
    if (event === undefined) {
      if (parser.unknownProtocol) stats.skipped.nonTcpUdp++;
      else if (last) sink.problem({ kind: 'truncated_record', line, message: `last line cut short: ${parser.error}` });
      else sink.problem({ kind: 'garbled_line', line, message: parser.error });
      return;
    }
    // named before the chunk's batches are handed on (the name logs may need reading first)
    if (names !== undefined) names.note(event, parser.uid);
    sink.push(event);
    emitLabel(event, parser.label, parser.detailedLabel);
  });
  for await (const chunk of opened.chunks) {
    stats.bytes += chunk.length;
    splitter.push(chunk);
    if (names !== undefined) await names.resolve();
    for (const batch of sink.take()) yield batch;
  }
  splitter.end();
  if (names !== undefined) await names.resolve();
  if (opened.truncatedGzip() && first) {
    sink.problem({
      kind: 'truncated_record',
      line: splitter.lines,
      offset: stats.bytes,
      message: `gzip stream cut short after ${stats.bytes} decompressed bytes`,
    });
  }
  for (const batch of sink.take(true)) yield batch;
}
