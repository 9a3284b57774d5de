/**
 * A shard worker: runs one shard of a sharded hunt (see huntShard.ts) and posts its progress,
 * its first problems and its detections to the main thread. Its own entry point in the build.
 */
import { parentPort } from 'node:worker_threads';
import { isSourceError, type SourceProblem } from '@beacon/sources';
import { huntShard, type ShardJob } from './huntShard.js';
import type { FromShard } from './shardMessages.js';

const port = parentPort;
if (port === null) throw new Error('shardWorker.js runs as a worker thread');
const post = (m: FromShard): void => port.postMessage(m);

/** Progress is posted at most this often (bytes), problems in full up to `maxProblems`. */
const PROGRESS_BYTES = 4 << 20;

port.once('message', (m: ShardJob & { maxProblems: number }) => {
  let posted = 0;
  let problems = 0;
  huntShard(m, {
    onBytes: (bytes) => {
      if (bytes - posted < PROGRESS_BYTES) return;
      posted = bytes;
      post({ type: 'progress', bytes });
    },
    onProblem: (file: string, problem: SourceProblem) => {
      if (problems++ < m.maxProblems) post({ type: 'problem', file, problem });
    },
  }).then(
    (result) => post({ type: 'done', result }),
    (error: unknown) => {
      const e = error as { message?: unknown };
      post({ type: 'error', message: String(e?.message ?? error), sourceCode: isSourceError(error) ? error.code : undefined });
    },
  );
});
