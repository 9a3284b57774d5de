import { stat } from 'node:fs/promises';
import type { BeaconConfig } from '@beacon/config';
import { toDetectorConfig } from '@beacon/config';
import { createDetector, eventTime, type ConnectionEvent, type Detection } from '@beacon/detector';
import { openSource, type OpenSourceOptions, type SourceProblem, type SourceStats } from '@beacon/sources';

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
 * pair. The detector's clock follows the data, so cooldowns and retention behave as they would
 * have live.
 */
export async function huntFiles(files: readonly string[], options: HuntOptions): Promise<HuntResult> {
  let dataNow = 0;
  const detector = createDetector({ config: toDetectorConfig(options.config), now: () => dataNow });
  const scored = new Map<string, Detection>();
  detector.on('scored', (d: Detection) => scored.set(d.pairKey, d));
  const totalBytes = (await Promise.all(files.map(async (f) => (await stat(f)).size))).reduce((a, b) => a + b, 0);
  let doneBytes = 0;
  const reports: FileReport[] = [];
  let events = 0;
  let rejected = 0;
  let allowlisted = 0;
  // Analyse as the live loop would, every analysis_interval of data time, so pairs that are
  // later evicted or expired have still been scored.
  const interval = detector.config.analysisInterval;
  let nextAnalysis = -1;
  for (const file of files) {
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
      const last = batch.at(-1);
      if (last) dataNow = Math.max(dataNow, eventTime(last));
      const r = detector.ingestBatch(batch);
      events += batch.length;
      rejected += r.rejected;
      allowlisted += r.allowlisted;
      if (nextAnalysis < 0) nextAnalysis = dataNow + interval;
      if (dataNow >= nextAnalysis) {
        detector.analyze();
        nextAnalysis = dataNow + interval;
      }
      options.onProgress?.(doneBytes + Math.min(source.stats.bytes, totalBytes), totalBytes);
    }
    doneBytes += (await stat(file)).size;
    reports.push({ file, stats: source.stats });
  }
  detector.analyze();
  return { scored: [...scored.values()].sort((a, b) => b.result.score - a.result.score), files: reports, events, rejected, allowlisted };
}
