import { open } from 'node:fs/promises';
import type { BeaconConfig } from '@beacon/config';
import { pairKey, protocolName, type Detection } from '@beacon/detector';
import type { SourceProblem } from '@beacon/sources';
import { feedFile, type FileReport } from '../hunt/huntFiles.js';
import { createHuntSession } from '../hunt/huntSession.js';
import { isEventFile, readEventFile } from './eventFile.js';
import { inTruth, isBeaconLabel, loadTruth, type TruthPair } from './groundTruth.js';
import { computeMetrics, type Metrics } from './metrics.js';

/** Options of {@link runEvaluation}. */
export interface EvaluationOptions {
  config: BeaconConfig;
  /** A ground-truth file; otherwise the Zeek label column is the truth. */
  truth?: string;
  /** Score at or above which a pair counts as flagged. */
  threshold: number;
  format?: 'auto' | 'zeek' | 'pcap';
  onProblem?: (file: string, problem: SourceProblem) => void;
}

/** One row of the per-pair table. */
export interface PairVerdict {
  pair: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  protocol: string;
  /** In the ground truth as a beacon. */
  truth: boolean;
  /** Null when the pair was never scored (too few connections, or allowlisted). */
  score: number | null;
  verdict: 'TP' | 'FP' | 'FN' | 'TN';
  interval: number | null;
  connection_count: number | null;
  benign_label: string | null;
}

/** What {@link runEvaluation} measured. */
export interface EvaluationResult {
  metrics: Metrics;
  /** Truth pairs first, then by score. */
  pairs: PairVerdict[];
  truthSource: 'file' | 'label_column';
  truthPairs: number;
  files: FileReport[];
  events: number;
  /** Events refused: by event-file validation, and by the detector. */
  rejected: number;
  rejections: string[];
  allowlisted: number;
}

/** Zeek writes JSON logs too: a `.json` file whose first record has `id.orig_h` is a Zeek log, not an event file. */
async function isZeekJson(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').includes('"id.orig_h"');
  } finally {
    await fh.close();
  }
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Replays files (event files, Zeek logs, captures) through one detector, and scores every scored
 * pair against the ground truth. Truth pairs that were never scored count as misses (score 0
 * for ROC-AUC).
 */
export async function runEvaluation(files: readonly string[], options: EvaluationOptions): Promise<EvaluationResult> {
  const truth: TruthPair[] = options.truth ? await loadTruth(options.truth) : [];
  const labelled = new Map<string, TruthPair>();
  const session = createHuntSession(options.config);
  const reports: FileReport[] = [];
  const rejections: string[] = [];
  let fileRejected = 0;
  let labelsSeen = 0;
  for (const file of files) {
    if (isEventFile(file) && !(await isZeekJson(file))) {
      const ef = await readEventFile(file);
      fileRejected += ef.rejectedCount;
      for (const r of ef.rejected) if (rejections.length < 10) rejections.push(`${r.path}: ${r.message}`);
      session.feed(ef.events);
      continue;
    }
    const hunt: Parameters<typeof feedFile>[2] = { config: options.config, format: options.format ?? 'auto' };
    if (options.onProblem) hunt.onProblem = options.onProblem;
    if (!options.truth)
      hunt.onLabel = (e, label): void => {
        labelsSeen++;
        if (!isBeaconLabel(label)) return;
        const key = pairKey(e.srcIp, e.dstIp, e.dstPort, e.protocol);
        if (!labelled.has(key)) labelled.set(key, { srcIp: e.srcIp, dstIp: e.dstIp, dstPort: e.dstPort, protocol: e.protocol });
      };
    reports.push(await feedFile(session, file, hunt));
  }
  if (!options.truth) {
    if (labelsSeen === 0) throw new Error('no ground truth: none of the inputs has a label column; give --truth <file> (a list of beacon pairs, empty when there are none)');
    truth.push(...labelled.values());
  }
  const scored = session.finish();
  const flagged = (d: Detection): boolean => d.result.score >= options.threshold && d.benignLabel === null;
  const pairs: PairVerdict[] = scored.map((d) => {
    const isTrue = inTruth(truth, d);
    return {
      pair: d.pairKey,
      src_ip: d.srcIp,
      dst_ip: d.dstIp,
      dst_port: d.dstPort,
      protocol: protocolName(d.protocol),
      truth: isTrue,
      score: round(d.result.score),
      verdict: flagged(d) ? (isTrue ? 'TP' : 'FP') : isTrue ? 'FN' : 'TN',
      interval: d.result.periodSeconds === null ? null : round(d.result.periodSeconds),
      connection_count: d.connectionCount,
      benign_label: d.benignLabel,
    };
  });
  for (const t of truth) {
    if (scored.some((d) => inTruth([t], d))) continue;
    const proto = t.protocol === undefined ? 'any' : protocolName(t.protocol);
    const key = t.protocol === undefined ? `${pairKey(t.srcIp, t.dstIp, t.dstPort, 6).replace(/\/TCP$/, '')}/any` : pairKey(t.srcIp, t.dstIp, t.dstPort, t.protocol);
    pairs.push({ pair: key, src_ip: t.srcIp, dst_ip: t.dstIp, dst_port: t.dstPort, protocol: proto, truth: true, score: null, verdict: 'FN', interval: null, connection_count: null, benign_label: null });
  }
  pairs.sort((a, b) => Number(b.truth) - Number(a.truth) || (b.score ?? -1) - (a.score ?? -1));
  // A benign-baseline pair never alerts, whatever its score: it ranks as 0, like an unscored one.
  const metrics = computeMetrics(
    pairs.map((p) => ({ score: p.benign_label === null ? (p.score ?? 0) : 0, beacon: p.truth })),
    options.threshold,
  );
  return {
    metrics,
    pairs,
    truthSource: options.truth ? 'file' : 'label_column',
    truthPairs: truth.length,
    files: reports,
    events: session.counts.events,
    rejected: fileRejected + session.counts.rejected,
    rejections,
    allowlisted: session.counts.allowlisted,
  };
}
