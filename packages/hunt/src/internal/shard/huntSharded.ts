import type { Detection, DetectorConfigInput } from '@beacon/detector';
import { SourceError, type SourceProblem, type SourceStats } from '@beacon/sources';
import type { HuntCounts } from '../../createHunt.js';
import { byScore } from '../../createHunt.js';
import { HuntError } from '../../huntError.js';
import type { FileReport } from '../../huntFiles.js';
import { startWorker } from '../startWorker.js';
import { huntShard, type ShardResult } from './huntShard.js';
import type { FromShard } from './shardMessages.js';

/** Problems a shard worker reports in full (all are counted in its statistics). */
const MAX_PROBLEMS = 1000;

export interface ShardedOptions {
  detector: DetectorConfigInput;
  onProblem?: ((file: string, problem: SourceProblem) => void) | undefined;
  /** Bytes read so far (the slowest shard's), of all files. */
  onBytes?: ((bytes: number) => void) | undefined;
}

/**
 * Hunts in Zeek TSV logs with `count` shards: shard 0 on the calling thread, the others in
 * worker threads, each reading every file but parsing and scoring only its originators' rows
 * (see huntShard.ts). Returns the merged result: detections sorted as one hunt sorts them,
 * counters summed, each file's statistics summed over the shards.
 */
export async function huntSharded(files: readonly string[], count: number, options: ShardedOptions): Promise<ShardResult> {
  const bytes = new Array<number>(count).fill(0);
  const progress = (shard: number, b: number): void => {
    bytes[shard] = b;
    options.onBytes?.(Math.min(...bytes));
  };
  const workers = Array.from({ length: count - 1 }, (_, k) => runWorker(files, k + 1, count, options, progress));
  let results: ShardResult[];
  try {
    const own = await huntShard({ files: [...files], index: 0, count, detector: options.detector }, { onBytes: (b) => progress(0, b), ...(options.onProblem ? { onProblem: options.onProblem } : {}) });
    results = [own, ...(await Promise.all(workers.map((w) => w.result)))];
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop()));
  }
  return merge(results);
}

interface RunningShard {
  result: Promise<ShardResult>;
  stop(): Promise<unknown>;
}

function runWorker(files: readonly string[], index: number, count: number, options: ShardedOptions, progress: (shard: number, bytes: number) => void): RunningShard {
  const worker = startWorker('shardWorker.js', './shard/shardWorker.ts');
  const result = new Promise<ShardResult>((resolve, reject) => {
    worker.on('message', (m: FromShard) => {
      if (m.type === 'progress') progress(index, m.bytes);
      else if (m.type === 'problem') options.onProblem?.(m.file, m.problem);
      else if (m.type === 'done') resolve(m.result);
      else reject(m.sourceCode !== undefined ? new SourceError(m.sourceCode, m.message) : new HuntError('WORKER_FAILED', `hunt shard ${index} failed: ${m.message}`));
    });
    worker.on('error', (error) => reject(new HuntError('WORKER_FAILED', `hunt shard ${index} failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => reject(new HuntError('WORKER_FAILED', `hunt shard ${index} exited with code ${code} before it finished`)));
  });
  // Rejections are awaited by whoever asks for the result; until then they must not go unhandled.
  result.catch(() => undefined);
  worker.postMessage({ files: [...files], index, count, detector: options.detector, maxProblems: MAX_PROBLEMS });
  return { result, stop: () => worker.terminate() };
}

function merge(results: ShardResult[]): ShardResult {
  const [first, ...rest] = results as [ShardResult, ...ShardResult[]];
  // A shard's clock is the newest event it saw; one thread's is the newest of all. The final
  // analysis of each shard ran at its own clock: give its detections the hunt's.
  const lastAnalysis = results.map((r) => r.scored.reduce((t, d) => Math.max(t, d.analyzedAt), 0));
  const huntTime = Math.max(...lastAnalysis);
  const scored: Detection[] = results
    .flatMap((r, i) => (lastAnalysis[i] === huntTime ? r.scored : r.scored.map((d) => (d.analyzedAt === lastAnalysis[i] ? { ...d, analyzedAt: huntTime } : d))))
    .sort(byScore);
  const counts: HuntCounts = { ...first.counts };
  const files: FileReport[] = first.files.map((f) => ({ file: f.file, stats: structuredClone(f.stats) }));
  for (const r of rest) {
    for (const k of Object.keys(counts) as Array<keyof HuntCounts>) counts[k] += r.counts[k];
    r.files.forEach((f, i) => addStats((files[i] as FileReport).stats, f.stats));
  }
  // The first problems of every shard, in line order, as many as one reader keeps.
  for (const f of files) {
    const keep = f.stats.problemSamples.length;
    f.stats.problemSamples = results
      .flatMap((r) => r.files.find((g) => g.file === f.file)?.stats.problemSamples ?? [])
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
      .slice(0, Math.max(keep, 20));
  }
  return { scored, counts, files };
}

/**
 * Adds a shard's file counters to the file's: every count is over the rows of that shard, so
 * the sum is the file's. `bytes` is the file's size in every shard (each reads the whole file).
 */
function addStats(into: SourceStats, s: SourceStats): void {
  const bytes = into.bytes;
  sum(into as unknown as Record<string, unknown>, s as unknown as Record<string, unknown>);
  into.bytes = bytes;
}

function sum(into: Record<string, unknown>, s: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(s)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) sum((into[k] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
  }
}
