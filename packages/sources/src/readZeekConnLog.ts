import type { ConnectionEvent } from '@beacon/detector';
import { readZeek, readZeekColumns } from './internal/zeekReader.js';
import type { EventColumns, RowWriter } from './columns.js';
import { makeColumnSource, makeSource } from './internal/source.js';
import type { EventSource, SourceInput, SourceOptions, SourceStats } from './types.js';

/** Ground-truth class of a labelled row (see {@link ZeekLabel}). */
export type LabelVerdict = 'malicious' | 'benign' | 'background' | 'unknown';

/** A row's ground-truth label, from Stratosphere-style `label` / `detailedlabel` columns. */
export interface ZeekLabel {
  /** The `label` column as written, e.g. `Malicious`; '' when only a detailed label exists. */
  label: string;
  /** The `detailedlabel` (or `detailed-label`) column, e.g. `CC`; undefined when unset or empty. */
  detailedLabel: string | undefined;
  /** `label` classified: `Malicious`/`...Botnet...` -> malicious, `Benign`/`Normal` -> benign, ... */
  verdict: LabelVerdict;
}

/** Options of {@link readZeekConnLog}. */
export interface ZeekOptions extends SourceOptions {
  /**
   * Called for each emitted event whose row carries a label, with the event object itself, so
   * an evaluation can keep ground truth beside the stream (e.g. in a `WeakMap`).
   */
  onLabel?: (event: ConnectionEvent, label: ZeekLabel) => void;
  /**
   * Read only one shard of the rows, for hunting with several threads: `count` readers of the
   * same log, with `index` 0 to `count - 1`, together read every row exactly once, and all rows
   * of one originator address (`id.orig_h`, as written) fall in the same shard, so each reader
   * can feed its own detector. Rows of other shards are skipped before they are parsed and are
   * not counted; header problems, and rows that cannot be assigned (no usable `#fields` header,
   * JSON lines, overlong lines, a cut-short gzip stream), are counted by shard 0.
   */
  shard?: ZeekShard;
}

/** One shard of a Zeek log's rows: see {@link ZeekOptions.shard}. */
export interface ZeekShard {
  /** This reader's shard, from 0 to `count - 1`. */
  index: number;
  /** How many shards the rows are split into (1 to 256). */
  count: number;
}

/**
 * Reads a Zeek conn.log, TSV (driven by its `#fields` header: any column order, extra columns
 * ignored, several header blocks allowed) or JSON lines, optionally gzip-compressed. Each row
 * becomes one `flow_start` event at `ts` carrying `orig_bytes` and `orig_pkts`.
 * Garbled lines are reported with their line number and counted; reading continues.
 * @example
 * const source = readZeekConnLog('conn.log.gz');
 * for await (const batch of source) detector.ingest(batch);
 * console.log(source.stats.records, source.stats.problems.garbled_line);
 */
export function readZeekConnLog(input: SourceInput, options: ZeekOptions = {}): EventSource {
  return makeSource(input, options, (opened, sink) => readZeek(opened, sink, options));
}

/**
 * Batches from a reader that writes rows into a {@link RowWriter}: {@link EventColumns} from an
 * `EventColumnsEncoder`, `EventBatch`es from an `EventBatchWriter`. With the reader's counters.
 */
export interface ColumnSource<B = EventColumns> extends AsyncIterable<B> {
  /** Live counters, as an {@link EventSource}'s. */
  readonly stats: SourceStats;
  /** Lines read so far: every line, data, header and blank, counted as a reader numbers them. */
  readonly lines: number;
}

/**
 * Reads a Zeek conn.log as {@link readZeekConnLog} does, into columns instead of event objects:
 * TSV rows are parsed straight into `columns` (no object per row, no text per IPv4 address
 * already in its table), which is what a consumer on another thread or one that keeps no
 * event wants. JSON lines go through event objects. The encoder's batch size sets the batch
 * size; `batchSize` of the options is not used. Decode the batches with one
 * `EventColumnsDecoder` per encoder.
 * @example
 * const columns = new EventColumnsEncoder();
 * const decoder = new EventColumnsDecoder(true);
 * for await (const batch of readZeekConnColumns('conn.log', columns)) {
 *   decoder.absorb(batch);
 *   detector.ingestBatch(decoder.decode(batch), { trusted: true });
 * }
 */
export function readZeekConnColumns<B = EventColumns>(input: SourceInput, columns: RowWriter<B>, options: Omit<ZeekOptions, 'onLabel'> = {}): ColumnSource<B> {
  return makeColumnSource<B>(input, options, (opened, sink, read) => readZeekColumns(opened, sink, options, columns, read));
}
