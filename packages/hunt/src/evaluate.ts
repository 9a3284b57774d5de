import { pairKey, protocolName, type Detection } from '@beacon/detector';
import { createHunt, type HuntOptions } from './createHunt.js';
import { inputKindOf, readEventFile } from './eventFile.js';
import { inTruth, isBeaconLabel, loadTruth, type TruthPair } from './groundTruth.js';
import { HuntError } from './huntError.js';
import { checkReadOptions, feedFile, huntDetectorConfig, type FileReport, type ReadOptions } from './huntFiles.js';
import { computeMetrics, type Metrics } from './metrics.js';

/** Options of {@link evaluate}. */
export interface EvaluationOptions extends Omit<HuntOptions, 'trusted'>, Omit<ReadOptions, 'onLabel'> {
  /** A ground-truth file (see `loadTruth`); without one, the Zeek logs' label column is the truth. */
  truth?: string;
  /** Score at or above which a pair counts as flagged. @default 0.7 */
  threshold?: number;
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

/** What {@link evaluate} measured. */
export interface EvaluationResult {
  /** The threshold the confusion counts were taken at. */
  threshold: number;
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

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Replays files (event files, Zeek logs, captures) through one detector, like the original's
 * `replay.py`, and scores every scored pair against the ground truth: precision, recall, F1,
 * false-positive rate at `threshold`, and ROC-AUC. Truth pairs that were never scored count as
 * misses (score 0 for ROC-AUC); benign-baseline pairs never alert, so they rank as 0 too.
 * @throws {@link HuntError} `INVALID_TRUTH`, `INVALID_EVENT_FILE`, or `NO_TRUTH` when there is
 * no truth file and no input has a label column.
 * @example
 * const r = await evaluate(['capture.pcap'], { truth: 'truth.yaml' });
 * console.log(r.metrics.recall, r.metrics.roc_auc);
 */
export async function evaluate(files: readonly string[], options: EvaluationOptions = {}): Promise<EvaluationResult> {
  checkReadOptions(options);
  const threshold = options.threshold ?? 0.7;
  if (!(threshold >= 0 && threshold <= 1)) throw new HuntError('INVALID_OPTION', `threshold must be between 0 and 1, got ${threshold}`);
  const truth: TruthPair[] = options.truth ? await loadTruth(options.truth) : [];
  const labelled = new Map<string, TruthPair>();
  const hunt = createHunt({ detector: huntDetectorConfig(options.detector), trusted: true });
  const reports: FileReport[] = [];
  const rejections: string[] = [];
  let fileRejected = 0;
  let labelsSeen = 0;
  for (const file of files) {
    if ((await inputKindOf(file)) === 'events') {
      const ef = await readEventFile(file);
      fileRejected += ef.rejectedCount;
      for (const r of ef.rejected) if (rejections.length < 10) rejections.push(`${r.path}: ${r.message}`);
      hunt.push(ef.events);
      continue;
    }
    const read: ReadOptions = { ...options };
    if (!options.truth)
      read.onLabel = (e, label): void => {
        labelsSeen++;
        if (!isBeaconLabel(label)) return;
        const key = pairKey(e.srcIp, e.dstIp, e.dstPort, e.protocol);
        if (!labelled.has(key)) labelled.set(key, { srcIp: e.srcIp, dstIp: e.dstIp, dstPort: e.dstPort, protocol: e.protocol });
      };
    reports.push(await feedFile(hunt, file, read));
  }
  if (!options.truth) {
    if (labelsSeen === 0) throw new HuntError('NO_TRUTH', 'no ground truth: none of the inputs has a label column; give a truth file (a list of beacon pairs, empty when there are none)');
    truth.push(...labelled.values());
  }
  // Ground truth names pairs by address; a name-keyed row (`dstIps` set) is a second key for the
  // same connections, so it is left out rather than counted twice.
  const scored = hunt.finish().filter((d) => d.dstIps === undefined);
  const flagged = (d: Detection): boolean => d.result.score >= threshold && d.benignLabel === null;
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
    threshold,
  );
  return {
    threshold,
    metrics,
    pairs,
    truthSource: options.truth ? 'file' : 'label_column',
    truthPairs: truth.length,
    files: reports,
    events: hunt.counts.events,
    rejected: fileRejected + hunt.counts.rejected,
    rejections,
    allowlisted: hunt.counts.allowlisted,
  };
}
