import { stat } from 'node:fs/promises';
import type { BeaconConfig } from '@beacon/config';
import type { ConnectionEvent, Detection } from '@beacon/detector';
import { openSource, type OpenSourceOptions, type SourceProblem, type SourceStats } from '@beacon/sources';
import { createHuntSession, type HuntSession } from './huntSession.js';

/** What {@link huntFiles} found in one file. */
export interface FileReport {
  file: string;
  stats: SourceStats;
}

/** Options of {@link huntFiles}. */
export interface HuntOptions {
  config: BeaconConfig;
  format?: 'auto' | 'zeek' | 'pcap';
  /** Called with bytes read so far and the total, for a progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  onProblem?: (file: string, problem: SourceProblem) => void;
  /** Sees every event before the detector does (e.g. to collect ground-truth labels). */
  onEvents?: (file: string, events: readonly ConnectionEvent[]) => void;
  /** Passed to Zeek readers: a row's label (Stratosphere-style `label` column). */
  onLabel?: OpenSourceOptions['onLabel'];
}

/** The outcome of a hunt: every scored pair, and per-file reading statistics. */
export interface HuntResult {
  /** Every pair that was scored, highest score first (beacons and non-beacons). */
  scored: Detection[];
  files: FileReport[];
  events: number;
  rejected: number;
  allowlisted: number;
}

/**
 * Runs the detector over files (Zeek conn.log, pcap, pcapng, gzipped or not) and scores every
 * pair. The detector's clock follows the data and analyses run every `analysis_interval` of data
 * time (see {@link createHuntSession}), so windows, cooldowns and retention behave as they would
 * have live.
 */
export async function huntFiles(files: readonly string[], options: HuntOptions): Promise<HuntResult> {
  const session = createHuntSession(options.config);
  const totalBytes = (await Promise.all(files.map(async (f) => (await stat(f)).size))).reduce((a, b) => a + b, 0);
  let doneBytes = 0;
  const reports: FileReport[] = [];
  for (const file of files) {
    reports.push(await feedFile(session, file, options, (bytes) => options.onProgress?.(doneBytes + Math.min(bytes, totalBytes), totalBytes)));
    doneBytes += (await stat(file)).size;
  }
  const scored = session.finish();
  return { scored, files: reports, ...session.counts };
}

/**
 * Reads one Zeek log or capture into a hunt session (used by {@link huntFiles} and by
 * `beacon evaluate`, which mixes them with event files). Returns the file's reading statistics.
 */
export async function feedFile(
  session: HuntSession,
  file: string,
  options: Omit<HuntOptions, 'onProgress'>,
  onBytes?: (bytesRead: number) => void,
): Promise<FileReport> {
  const openOptions: OpenSourceOptions = {
    format: options.format ?? 'auto',
    onProblem: (p) => options.onProblem?.(file, p),
    idleGapSec: options.config.data_plane.idle_gap,
    flowTimeoutSec: options.config.data_plane.flow_timeout,
  };
  if (options.onLabel) openOptions.onLabel = options.onLabel;
  const source = await openSource(file, openOptions);
  for await (const batch of source) {
    options.onEvents?.(file, batch);
    session.feed(batch);
    onBytes?.(source.stats.bytes);
  }
  return { file, stats: source.stats };
}
