import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { availableParallelism } from 'node:os';
import type { ConnectionEvent, Detection, DetectorConfigInput } from '@beacon/detector';
import { CAPTURE_MAX_FLOWS, EventBatchWriter, openColumnSource, openSource, sniffSource, readZeekLogs, zeekLogFiles, type EventSource, type OpenSourceOptions, type SourceProblem, type SourceStats, type ZeekLogsOptions } from '@beacon/sources';
import { createHunt, type Hunt, type HuntCounts, type HuntOptions } from './createHunt.js';
import { HuntError } from './huntError.js';
import { feedParallel } from './internal/parallel/feedParallel.js';
import { ParsePool } from './internal/parallel/parsePool.js';
import { huntSharded } from './internal/shard/huntSharded.js';

/** What {@link huntFiles} read from one file. */
export interface FileReport {
  file: string;
  /** The reader's final counters: format, records, events, problems by kind. */
  stats: SourceStats;
}

/** How files are read: the options {@link huntFiles} and `evaluate` share. */
export interface ReadOptions {
  /** `auto` recognises Zeek TSV/JSON, Suricata EVE and pcap/pcapng by content (gzip too). @default 'auto' */
  format?: 'auto' | 'zeek' | 'pcap' | 'eve';
  /** Captures: an idle gap (seconds) after which new packets of a flow are a new activity burst. @default 1 */
  idleGapSec?: number;
  /** Captures: seconds after which an idle flow is ended. @default 120 */
  flowTimeoutSec?: number;
  /** Called for every damaged record (after it was counted), with the file it is in. */
  onProblem?: (file: string, problem: SourceProblem) => void;
  /** Sees every batch before the detector does (e.g. to keep events for another tool). */
  onEvents?: (file: string, events: readonly ConnectionEvent[]) => void;
  /** Zeek logs: called with each event whose row carries a ground-truth label. */
  onLabel?: OpenSourceOptions['onLabel'];
}

/** Options of {@link huntFiles}. */
export interface HuntFilesOptions extends Omit<HuntOptions, 'trusted'>, ReadOptions {
  /** Called with bytes read so far and the total of all files, for a progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Worker threads besides the calling thread.
   *
   * Zeek TSV conn logs (plain or gzipped, read file by file, without `onEvents` or `onLabel`)
   * are hunted in `workers + 1` shards: each thread reads the logs, parses only the rows whose
   * originator address falls in its shard, and scores them in a detector of its own; every pair
   * of one originator is in one shard, so the merged detections are those of one thread (the
   * same rows in the same order). Each shard's detector has the whole `maxPairs`, so memory is
   * bounded by `workers + 1` times it.
   *
   * Other input (captures, EVE, Zeek JSON, a Zeek log directory joined with its name logs) is
   * parsed in `workers` parse threads while the calling thread runs the detector: a plain Zeek
   * log is cut into chunks of whole lines parsed side by side, anything else is read by one
   * worker (events still reach the detector in file order).
   *
   * `0` reads on the calling thread. `auto` uses workers for an input of 16 MiB or more on a
   * machine with 4 cores or more (one per core beyond the calling thread's, at most 4). On two
   * or three cores it uses one worker for captures and EVE logs only (16 MiB or more of them),
   * which that worker reads while the calling thread runs the detector: 0.89x the wall time of
   * one thread for a 3,000,000-packet capture on two cores, 0.80x for 1,000,000 EVE lines. Zeek
   * logs are read on the calling thread there: one thread already keeps the second core partly busy (V8's garbage collector
   * and file reads run there), so shards finish no sooner than one thread and cost about 1.25
   * times the CPU, and parse threads are no faster (see docs/benchmarks.md).
   * Without workers when `onLabel` is given.
   * @default 'auto'
   */
  workers?: number | 'auto';
  /** @internal Chunk size for parse workers (tests cut small files into many chunks). */
  chunkBytes?: number;
  /**
   * @internal How Zeek TSV logs use workers (tests): `shards` (the default) or `parse` workers;
   * and whether the calling thread parses chunks while parse workers load (`auto`, the
   * default), parses them all (`local`) or waits for the workers (`wait`).
   */
  parallel?: { mode?: 'shards' | 'parse'; start?: 'auto' | 'local' | 'wait' };
}

/** Inputs smaller than this are read on the calling thread under `workers: 'auto'`. */
const AUTO_WORKERS_MIN_BYTES = 16 * 2 ** 20;
/** Fewer cores than this: `workers: 'auto'` reads on the calling thread (measured on 2 cores). */
const AUTO_WORKERS_MIN_CORES = 4;

/** The outcome of {@link huntFiles}: every scored pair, and per-file reading statistics. */
export interface HuntResult extends Omit<HuntCounts, 'analyses'> {
  /** Every pair that was scored, highest score first (beacons and not). See `toBeaconRow`. */
  scored: Detection[];
  files: FileReport[];
  /** Alerts raised through the pipeline (see {@link HuntOptions.pipeline}); 0 without one. */
  alerts: number;
}

const FORMATS: ReadonlySet<string> = new Set(['auto', 'zeek', 'pcap', 'eve']);

/**
 * The detector configuration of a hunt of files: the caller's, with `maxOpenFlows` at least the
 * capture reader's `maxFlows` unless given. The reader has at most that many flows open, each
 * ended by a `flow_end`; a detector holding fewer evicts open flows over and over (203,060 times
 * in a 3,000,000-packet capture with 200,000 flows open at once), losing their start times for
 * long connections and costing time. Open flows are stored as they come, so a hunt with few
 * costs nothing more.
 * @internal
 */
export function huntDetectorConfig(config: DetectorConfigInput = {}): DetectorConfigInput {
  return config.maxOpenFlows === undefined ? { ...config, maxOpenFlows: CAPTURE_MAX_FLOWS } : config;
}

/** Checks the reading options; throws {@link HuntError} `INVALID_OPTION` naming the option. */
export function checkReadOptions(options: ReadOptions): void {
  if (options.format !== undefined && !FORMATS.has(options.format)) throw new HuntError('INVALID_OPTION', `format must be auto, zeek, pcap or eve, got ${JSON.stringify(options.format)}`);
}

/** How many worker threads (shard or parse workers) a hunt of `totalBytes` uses. */
function workerCount(options: HuntFilesOptions, totalBytes: number): number {
  const { workers = 'auto' } = options;
  if (workers !== 'auto' && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) throw new HuntError('INVALID_OPTION', `workers must be 'auto' or an integer from 0 to 64, got ${JSON.stringify(workers)}`);
  if (options.onLabel) return 0;
  if (workers !== 'auto') return workers;
  const cores = availableParallelism();
  if (totalBytes < AUTO_WORKERS_MIN_BYTES) return 0;
  return cores >= AUTO_WORKERS_MIN_CORES ? Math.min(cores - 1, 4) : 0;
}

/** Captures and EVE logs, under `workers: 'auto'`, at or above this many bytes in all, get a reader worker on two or three cores. */
const READER_WORKER_MIN_BYTES = AUTO_WORKERS_MIN_BYTES;

/**
 * Under `workers: 'auto'` on two or three cores: the captures and EVE logs among `files`, when
 * they are large enough to be read by one worker while this thread runs the detector (measured:
 * 0.89x the wall time for a 3,000,000-packet capture, 0.80x for 1,000,000 EVE lines on two
 * cores; Zeek logs, plain or gzipped, gain nothing there and stay on this thread). Otherwise undefined.
 * @internal
 */
export async function readerWorkerFiles(files: readonly string[], sizes: readonly number[], options: HuntFilesOptions): Promise<Set<string> | undefined> {
  const { workers = 'auto' } = options;
  const cores = availableParallelism();
  if (workers !== 'auto' || options.onLabel || cores < 2 || cores >= AUTO_WORKERS_MIN_CORES) return undefined;
  if (options.format === 'zeek' || files.length === 0) return undefined;
  // too little input in all: no file is opened to look at its format
  if (sizes.reduce((a, b) => a + b, 0) < READER_WORKER_MIN_BYTES) return undefined;
  const picked = new Set<string>();
  let bytes = 0;
  for (const [i, file] of files.entries()) {
    const { format } = await sniffSource(file, { format: options.format ?? 'auto' });
    if (format === 'zeek-tsv' || format === 'zeek-json') continue;
    picked.add(file);
    bytes += sizes[i] as number;
  }
  return bytes >= READER_WORKER_MIN_BYTES ? picked : undefined;
}

/**
 * True when the files can be hunted in shards: all Zeek TSV (plain or gzipped), nothing that
 * needs every event on this thread, and a detector configuration a worker can be sent.
 */
async function shardable(files: readonly string[], options: HuntFilesOptions): Promise<boolean> {
  if (files.length === 0 || options.onEvents || options.onLabel || options.pipeline) return false;
  if (options.format === 'pcap' || options.format === 'eve') return false;
  try {
    structuredClone(options.detector ?? {});
  } catch {
    return false; // e.g. functions in the configuration
  }
  for (const file of files) if ((await sniffSource(file, { format: options.format ?? 'auto' })).format !== 'zeek-tsv') return false;
  return true;
}

/**
 * Hunts for beacons in files: Zeek conn.log (TSV or JSON lines) and pcap/pcapng captures,
 * gzipped or not, recognised by content. A Zeek log directory, or conn.log given with ssl.log,
 * http.log or dns.log, is read as one joined stream whose events carry server names. All files go through one detector (see
 * {@link createHunt} for when pairs are scored), so a pair seen in several files is one pair.
 * Damaged records are counted per file and reported through `onProblem`, never thrown;
 * a missing or unrecognised file rejects with the `SourceError` of `@beacon/sources`.
 * @example
 * const { scored } = await huntFiles(['conn.log.gz'], { detector: { alertThreshold: 0.8 } });
 * const rows = scored.filter((d) => d.isBeacon).map(toBeaconRow);
 */
export async function huntFiles(paths: readonly string[], options: HuntFilesOptions = {}): Promise<HuntResult> {
  checkReadOptions(options);
  const hunt = createHunt(options.pipeline ? { pipeline: options.pipeline, trusted: true, ...(options.detector ? { detector: options.detector } : {}) } : { detector: huntDetectorConfig(options.detector), trusted: true });
  try {
    return await huntInto(hunt, paths, options);
  } finally {
    // delivers the pipeline's alerts and closes its sinks, also when reading failed
    await hunt.close();
  }
}

async function huntInto(hunt: Hunt, paths: readonly string[], options: HuntFilesOptions): Promise<HuntResult> {
  const { zeek, files } = await splitZeekLogs(paths);
  const zeekSizes = await Promise.all(zeek.map(async (f) => (await stat(f)).size));
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const totalBytes = [...zeekSizes, ...sizes].reduce((a, b) => a + b, 0);
  let workers = workerCount(options, totalBytes);
  // on two or three cores, one worker for the captures and EVE logs only (`whole`: read whole by it)
  const whole = workers === 0 ? await readerWorkerFiles(files, sizes, options) : undefined;
  if (whole !== undefined) workers = 1;
  const sharded = workers > 0 && whole === undefined && zeek.length === 0 && (await shardable(files, options));
  if (sharded && options.parallel?.mode !== 'parse') {
    const onBytes = options.onProgress ? (bytes: number): void => options.onProgress?.(Math.min(bytes, totalBytes), totalBytes) : undefined;
    const r = await huntSharded(files, workers + 1, { detector: options.detector ?? {}, onProblem: options.onProblem, onBytes });
    const { analyses: _analyses, ...counts } = r.counts;
    return { scored: r.scored, files: r.files, ...counts, alerts: 0 };
  }
  const pool = workers > 0 ? new ParsePool(workers, options.onEvents === undefined) : undefined;
  // started now: a worker takes ~0.1-0.2 s to load, and the first file needs them at once
  if (files.length > 0) pool?.take(pool.size);
  let doneBytes = 0;
  const reports: FileReport[] = [];
  try {
    if (zeek.length > 0) {
      const onBytes = options.onProgress ? (bytes: number): void => options.onProgress?.(Math.min(bytes, totalBytes), totalBytes) : undefined;
      reports.push(await feedZeekLogs(hunt, zeek, options, onBytes));
      doneBytes = zeekSizes.reduce((a, b) => a + b, 0);
    }
    for (const [i, file] of files.entries()) {
      const onBytes = options.onProgress ? (bytes: number): void => options.onProgress?.(Math.min(doneBytes + bytes, totalBytes), totalBytes) : undefined;
      const viaPool = pool !== undefined && (whole === undefined || whole.has(file));
      reports.push(viaPool ? await feedParallel(hunt, file, options, pool, onBytes) : await feedFile(hunt, file, options, onBytes));
      doneBytes += sizes[i] as number;
    }
  } finally {
    await pool?.close();
  }
  const scored = hunt.finish();
  const { analyses: _analyses, ...counts } = hunt.counts;
  return { scored, files: reports, ...counts, alerts: hunt.alertsRaised };
}

const ZEEK_LOG = /^(conn|ssl|http|dns)([._-].*)?\.log(\.gz)?$/;

/**
 * Splits the paths into a Zeek log group read together ({@link readZeekLogs}: conn.log joined
 * with ssl.log, http.log and dns.log) and files read one by one. Directories always join the
 * group; files named like conn/ssl/http/dns logs join it when the group has an ssl, http or dns
 * log to join them with. Without such logs everything is read file by file, as before.
 */
async function splitZeekLogs(paths: readonly string[]): Promise<{ zeek: string[]; files: string[] }> {
  const dirs: string[] = [];
  const rest: string[] = [];
  for (const p of paths) ((await stat(p)).isDirectory() ? dirs : rest).push(p);
  const named = rest.filter((p) => ZEEK_LOG.test(basename(p)));
  const group = await zeekLogFiles([...dirs, ...named]);
  if (dirs.length === 0 && !group.some((f) => f.kind !== 'conn')) return { zeek: [], files: [...rest] };
  return { zeek: group.map((f) => f.path), files: rest.filter((p) => !named.includes(p)) };
}

/** Reads a Zeek log group (conn.log named through ssl/http/dns logs) into a hunt. */
async function feedZeekLogs(hunt: Hunt, logs: readonly string[], options: ReadOptions, onBytes?: (bytesRead: number) => void): Promise<FileReport> {
  const label = logs.join(' + ');
  const zeekOptions: ZeekLogsOptions = {};
  if (options.onProblem) {
    const onProblem = options.onProblem;
    zeekOptions.onProblem = (p) => onProblem(label, p);
  }
  if (options.onLabel) zeekOptions.onLabel = options.onLabel;
  const source = readZeekLogs(logs, zeekOptions);
  for await (const batch of source) {
    options.onEvents?.(label, batch);
    hunt.push(batch);
    onBytes?.(source.stats.bytes);
  }
  return { file: label, stats: source.stats };
}

/**
 * Reads one Zeek log or capture into a hunt (used by {@link huntFiles} and by `evaluate`,
 * which mixes them with event files). Returns the file's reading statistics.
 */
export async function feedFile(hunt: Hunt, file: string, options: ReadOptions, onBytes?: (bytesRead: number) => void): Promise<FileReport> {
  const openOptions: OpenSourceOptions = { format: options.format ?? 'auto' };
  if (options.onProblem) {
    const onProblem = options.onProblem;
    openOptions.onProblem = (p) => onProblem(file, p);
  }
  if (options.idleGapSec !== undefined) openOptions.idleGapSec = options.idleGapSec;
  if (options.flowTimeoutSec !== undefined) openOptions.flowTimeoutSec = options.flowTimeoutSec;
  if (options.onLabel) openOptions.onLabel = options.onLabel;
  if (options.onEvents === undefined && options.onLabel === undefined) {
    // Nobody else sees the events: a Zeek log's rows and a capture's flow events are written
    // straight into reused event objects (none per record for the collector to collect), with
    // pair hints that spare most pair lookups. EVE logs come back as event objects.
    const writer = new EventBatchWriter(COLUMN_BATCH);
    const opened = await openColumnSource(file, writer, openOptions);
    if (opened.kind === 'columns') {
      const source = opened.source;
      for await (const batch of source) {
        hunt.push(batch.events, batch.pairHints);
        writer.recycle(batch);
        onBytes?.(source.stats.bytes);
      }
      return { file, stats: source.stats };
    }
    return feedEvents(hunt, file, opened.source, options, onBytes);
  }
  return feedEvents(hunt, file, await openSource(file, openOptions), options, onBytes);
}

/** Events per batch on the column path. */
const COLUMN_BATCH = 4096;

async function feedEvents(hunt: Hunt, file: string, source: EventSource, options: ReadOptions, onBytes?: (bytesRead: number) => void): Promise<FileReport> {
  for await (const batch of source) {
    options.onEvents?.(file, batch);
    hunt.push(batch);
    onBytes?.(source.stats.bytes);
  }
  return { file, stats: source.stats };
}
