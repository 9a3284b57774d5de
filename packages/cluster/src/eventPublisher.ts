import { randomUUID } from 'node:crypto';
import type { ConnectionEvent } from '@beacon/detector';
import type { DataPlaneStats } from '@beacon/server';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ClusterError } from './clusterError.js';
import { encodeEvents } from './eventCodec.js';
import { watchConnection, type ConnectionWatch } from './internal/watchConnection.js';
import { partitionOf, partitionSubject } from './partition.js';

/** Options of {@link EventPublisher}. */
export interface EventPublisherOptions {
  /** Partitions of the stream (the cluster's `partitions`). @default 16 */
  partitions?: number;
  /** Events per stream message at most. @default 2000 */
  maxEventsPerMessage?: number;
  /** Milliseconds to wait for JetStream's acknowledgement of a message. @default 5000 */
  timeoutMs?: number;
  /** Attempts per message before `publish` gives up (retries are de-duplicated by message id). @default 1 */
  attempts?: number;
}

/** Options of one {@link EventPublisher.publish}. */
export interface PublishOptions {
  /** The batch id (e.g. the telemetry batch's): with it a resent batch is stored once. @default random */
  batchId?: string;
  /** The node whose drop counters these are; they travel in that node's partition. */
  nodeId?: string;
  dataPlaneStats?: DataPlaneStats | undefined;
}

/** Counters of an {@link EventPublisher}. */
export interface PublisherStats {
  eventsPublished: number;
  messagesPublished: number;
  /** Messages JetStream already had (a retried batch): stored once. */
  duplicates: number;
  /** Messages that were not acknowledged (their `publish` call was rejected). */
  failures: number;
}

/**
 * Publishes connection events to the cluster's stream: grouped by the partition of their
 * source address, encoded in binary batches, one message per partition (and per
 * `maxEventsPerMessage`), sent concurrently; `publish` resolves only when JetStream has
 * acknowledged every message. Each message carries a `Nats-Msg-Id` derived from the batch id,
 * so a batch sent again within two minutes is stored once.
 * @example
 * const publisher = new EventPublisher(await connectNats({ natsUrl }), { partitions: 16 });
 * await publisher.publish(events, { nodeId: 'dp-1' });
 */
export class EventPublisher {
  readonly stats: PublisherStats = { eventsPublished: 0, messagesPublished: 0, duplicates: 0, failures: 0 };
  readonly #js: JetStreamClient;
  readonly #partitions: number;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #watch: ConnectionWatch;
  #closed = false;

  constructor(nc: NatsConnection, options: EventPublisherOptions = {}) {
    const { partitions = 16, maxEventsPerMessage = 2000, timeoutMs = 5000, attempts = 1 } = options;
    if (!Number.isInteger(partitions) || partitions < 1) throw new ClusterError('INVALID_OPTIONS', `partitions must be a positive integer (got ${partitions})`);
    this.#js = jetstream(nc, { timeout: timeoutMs });
    this.#partitions = partitions;
    this.#max = Math.max(1, maxEventsPerMessage);
    this.#timeoutMs = timeoutMs;
    this.#attempts = Math.max(1, attempts);
    this.#watch = watchConnection(nc);
  }

  /** False while the connection to NATS is down (a publish would fail at once). */
  get connected(): boolean {
    return this.#watch.connected;
  }

  /**
   * Publishes events; resolves with what was stored once JetStream acknowledged all of it.
   * @throws {@link ClusterError} `UNAVAILABLE` when NATS is disconnected or JetStream did not
   * acknowledge in time (some messages may be stored: publishing the same batch id again
   * stores only the missing ones)
   */
  async publish(events: readonly ConnectionEvent[], options: PublishOptions = {}): Promise<{ events: number; messages: number }> {
    if (this.#closed) throw new ClusterError('CLOSED', 'the publisher is closed');
    const groups: ConnectionEvent[][] = Array.from({ length: this.#partitions }, () => []);
    for (const e of events) groups[partitionOf(e.srcIp, this.#partitions)]!.push(e);
    const batchId = options.batchId || randomUUID();
    const statsPartition = options.dataPlaneStats ? partitionOf(options.nodeId ?? '', this.#partitions) : -1;
    const sends: Promise<void>[] = [];
    let messages = 0;
    for (let p = 0; p < this.#partitions; p++) {
      const group = groups[p]!;
      if (group.length === 0 && p !== statsPartition) continue;
      for (let k = 0, from = 0; from < group.length || (k === 0 && p === statsPartition); k++, from += this.#max) {
        const part = group.length > this.#max ? group.slice(from, from + this.#max) : group;
        const body = encodeEvents(part, k === 0 && p === statsPartition && options.dataPlaneStats ? { nodeId: options.nodeId ?? '', stats: options.dataPlaneStats } : undefined);
        sends.push(this.#send(partitionSubject(p), body, `${batchId}:${p}:${k}`, part.length));
        messages++;
        if (group.length === 0) break;
      }
    }
    const results = await Promise.allSettled(sends);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return { events: events.length, messages };
  }

  async #send(subject: string, body: Uint8Array, msgID: string, count: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!this.#watch.connected && attempt === 1 && this.#attempts === 1) {
        this.stats.failures++;
        throw new ClusterError('UNAVAILABLE', 'not connected to NATS: the stream cannot take events now');
      }
      try {
        const ack = await this.#js.publish(subject, body, { msgID, timeout: this.#timeoutMs });
        if (ack.duplicate) this.stats.duplicates++;
        else this.stats.eventsPublished += count;
        this.stats.messagesPublished++;
        return;
      } catch (error) {
        if (attempt >= this.#attempts) {
          this.stats.failures++;
          throw new ClusterError('UNAVAILABLE', `JetStream did not acknowledge ${subject}: ${(error as Error).message}`, { cause: error });
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
  }

  /** Stops watching the connection (the connection itself belongs to the caller). */
  close(): void {
    this.#closed = true;
    this.#watch.stop();
  }
}
