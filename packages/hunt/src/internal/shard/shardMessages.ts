import type { SourceErrorCode, SourceProblem } from '@beacon/sources';
import type { ShardResult } from './huntShard.js';

/** Messages from a shard worker to the main thread. */
export type FromShard =
  | { type: 'progress'; bytes: number }
  | { type: 'problem'; file: string; problem: SourceProblem }
  | { type: 'done'; result: ShardResult }
  | { type: 'error'; message: string; sourceCode: SourceErrorCode | undefined };
