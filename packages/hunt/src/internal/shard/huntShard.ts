import type { Detection, DetectorConfigInput } from '@beacon/detector';
import { EventBatchWriter, readZeekConnColumns, type SourceProblem } from '@beacon/sources';
import { createHunt, type HuntCounts } from '../../createHunt.js';
import type { FileReport } from '../../huntFiles.js';

/** What one shard of a sharded hunt is asked to do. */
export interface ShardJob {
  files: string[];
  index: number;
  count: number;
  detector: DetectorConfigInput;
}

/** What one shard found. */
export interface ShardResult {
  scored: Detection[];
  counts: HuntCounts;
  files: FileReport[];
}

/** What a shard tells as it goes. */
export interface ShardCallbacks {
  /** Bytes of all files read so far by this shard. */
  onBytes?: (bytes: number) => void;
  onProblem?: (file: string, problem: SourceProblem) => void;
}

/**
 * One shard of a hunt: the rows of the Zeek logs whose originator falls in this shard
 * (`ZeekOptions.shard` of `@beacon/sources`), through a detector of its own. Every pair of one
 * originator lives in one shard, so the shards' detections together are the whole hunt's.
 * Runs on the calling thread and in shard workers alike.
 */
export async function huntShard(job: ShardJob, callbacks: ShardCallbacks = {}): Promise<ShardResult> {
  const hunt = createHunt({ detector: job.detector, trusted: true });
  const files: FileReport[] = [];
  let before = 0;
  for (const file of job.files) {
    const onProblem = callbacks.onProblem;
    // rows straight into reused event objects with pair hints: nobody else sees the events
    const writer = new EventBatchWriter();
    const source = readZeekConnColumns(file, writer, {
      shard: { index: job.index, count: job.count },
      ...(onProblem ? { onProblem: (p: SourceProblem) => onProblem(file, p) } : {}),
    });
    for await (const batch of source) {
      hunt.push(batch.events, batch.pairHints);
      writer.recycle(batch);
      callbacks.onBytes?.(before + source.stats.bytes);
    }
    before += source.stats.bytes;
    files.push({ file, stats: source.stats });
  }
  const scored = hunt.finish();
  return { scored, counts: { ...hunt.counts }, files };
}
