import type { ConnectionEvent } from '@beacon/detector';
import { timeline, toEvent, type SimPair } from './scenario.js';

/** Options of {@link runSimulation}. */
export interface RunOptions {
  /** Simulated seconds per real second (time acceleration). @default 1 */
  speed?: number;
  /** Real seconds between two deliveries. @default 1 */
  tickSeconds?: number;
  /** Epoch seconds of simulated time zero. @default now */
  startSeconds?: number;
  nodeId: string;
  /** Receives each batch of events that became due. */
  deliver: (events: ConnectionEvent[]) => Promise<void>;
  /** Called after each delivery with the simulated seconds reached. */
  onProgress?: (simulatedSeconds: number, eventsDelivered: number) => void;
  signal?: AbortSignal;
}

/**
 * Plays the pairs' events in simulated time: every tick, everything due is delivered.
 * With speed 600, an hour of traffic plays in six seconds.
 * @returns the number of events delivered
 */
export async function runSimulation(pairs: readonly SimPair[], options: RunOptions): Promise<number> {
  const { speed = 1, tickSeconds = 1, startSeconds = Date.now() / 1000, nodeId, deliver, onProgress, signal } = options;
  const entries = timeline(pairs);
  const realStart = performance.now();
  let next = 0;
  while (next < entries.length && !signal?.aborted) {
    const simNow = ((performance.now() - realStart) / 1000) * speed;
    const batch: ConnectionEvent[] = [];
    while (next < entries.length && (entries[next]?.offset ?? Infinity) <= simNow) {
      batch.push(toEvent(pairs, entries[next]!, startSeconds, nodeId));
      next++;
    }
    if (batch.length) await deliver(batch);
    onProgress?.(Math.min(simNow, entries.at(-1)?.offset ?? 0), next);
    if (next >= entries.length) break;
    const untilNext = (((entries[next]?.offset ?? 0) - simNow) / speed) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(tickSeconds * 1000, untilNext))));
  }
  return next;
}
