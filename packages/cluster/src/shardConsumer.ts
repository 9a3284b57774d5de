import type { ConnectionEvent } from '@beacon/detector';
import type { DataPlaneStats } from '@beacon/server';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EventEmitter } from 'eventemitter3';
import { isClusterError } from './clusterError.js';
import { decodeEvents } from './eventCodec.js';
import { partitionSubject } from './partition.js';

/** Prefix of the consumer's counters in the control plane's saved counters. */
export const CHECKPOINT_PREFIX = 'cluster.';

/** Applies one message's events to the shard's state; must be synchronous (see {@link ShardConsumer}). */
export type ApplyEvents = (events: ConnectionEvent[], meta: { nodeId: string; dataPlaneStats: DataPlaneStats | undefined }) => void;

/** Options of {@link ShardConsumer}. */
export interface ShardConsumerOptions {
  nc: NatsConnection;
  stream: string;
  /** The partitions this shard owns. */
  partitions: readonly number[];
  apply: ApplyEvents;
  /**
   * Acknowledge only what a saved checkpoint covers ({@link ShardConsumer.committed}); false
   * acknowledges what was applied, once per turn of the event loop (a shard without a database). @default true
   */
  ackAfterCommit?: boolean;
  /** Milliseconds JetStream waits for an acknowledgement before redelivering. @default 60000 */
  ackWaitMs?: number;
}

/** Events of a {@link ShardConsumer}. */
export interface ShardConsumerEvents {
  /** A partition's consumer failed or was reset; it is re-created from the last applied sequence. */
  reset: (partition: number, reason: string) => void;
  /** A message could not be decoded (counted, acknowledged with the rest, never applied). */
  invalid: (partition: number, seq: number, error: Error) => void;
}

/** Consumption counters and, per partition, the last stream sequence applied. */
export interface ShardConsumerStats {
  messagesConsumed: number;
  eventsConsumed: number;
  /** Messages that were not an event batch. */
  messagesInvalid: number;
  /** Records refused inside good messages. */
  recordsInvalid: number;
  /** Messages delivered again that the saved state already held: skipped. */
  redeliveriesSkipped: number;
  /** Consumers re-created after a gap, a deleted consumer or an error. */
  resets: number;
  applied: Record<number, number>;
}

/** Lag of one partition, from JetStream's consumer info. */
export interface PartitionLag {
  partition: number;
  /** Last stream sequence applied. */
  applied: number;
  /** Messages of the partition not yet delivered to the shard. */
  pending: number;
  /** Delivered, not yet covered by a saved checkpoint. */
  ackPending: number;
}

/** The name of partition `p`'s durable consumer. */
export function consumerName(partition: number): string {
  return `beacon-p${partition}`;
}

const COUNTER_NAMES = ['messagesConsumed', 'eventsConsumed', 'messagesInvalid', 'recordsInvalid'] as const;

/**
 * Consumes a shard's partitions with one durable JetStream consumer each, in stream order,
 * exactly once across crashes. The shard's database is the truth: each checkpoint
 * ({@link checkpoint}, taken in the same tick as the state delta and written in the same
 * SQLite transaction) holds the last stream sequence applied per partition. At start each
 * consumer is re-created to deliver from the sequence after the saved one; a message at or
 * below it is skipped; a gap in delivery sequences (a message lost in flight during a NATS
 * restart) re-creates the consumer at the right place. Messages are acknowledged (ack-all)
 * only once a checkpoint covering them is committed, so JetStream keeps what the database
 * does not yet hold.
 */
export class ShardConsumer extends EventEmitter<ShardConsumerEvents> {
  readonly #o: Required<ShardConsumerOptions>;
  readonly #applied = new Map<number, number>();
  readonly #lastMsg = new Map<number, JsMsg>();
  readonly #running = new Map<number, ConsumerMessages>();
  /** Without checkpoints: the last message per partition, acknowledged once per event-loop turn. */
  readonly #unacked = new Map<number, JsMsg>();
  #ackSoon: ReturnType<typeof setImmediate> | undefined;
  readonly #loops: Promise<void>[] = [];
  readonly #counters = { messagesConsumed: 0, eventsConsumed: 0, messagesInvalid: 0, recordsInvalid: 0, redeliveriesSkipped: 0, resets: 0 };
  #jsm: JetStreamManager | undefined;
  #stopped = false;

  constructor(options: ShardConsumerOptions) {
    super();
    this.#o = { ackAfterCommit: true, ackWaitMs: 60_000, ...options };
    for (const p of options.partitions) this.#applied.set(p, 0);
  }

  /** Takes the saved checkpoint (counters named `cluster.*`) before {@link start}. */
  restore(counters: Readonly<Record<string, number>>): void {
    for (const p of this.#o.partitions) this.#applied.set(p, counters[`${CHECKPOINT_PREFIX}seq.${p}`] ?? 0);
    for (const k of COUNTER_NAMES) this.#counters[k] = counters[`${CHECKPOINT_PREFIX}${snake(k)}`] ?? 0;
  }

  /**
   * What the state holds right now: the last sequence applied per partition and the
   * consumption counters, as counters to save with the state delta taken in the same tick.
   */
  checkpoint(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [p, seq] of this.#applied) out[`${CHECKPOINT_PREFIX}seq.${p}`] = seq;
    for (const k of COUNTER_NAMES) out[`${CHECKPOINT_PREFIX}${snake(k)}`] = this.#counters[k];
    return out;
  }

  /** The message ids a checkpoint covers, to acknowledge once it is committed. */
  pendingAcks(): Map<number, JsMsg> {
    return new Map(this.#lastMsg);
  }

  /** A checkpoint was committed: acknowledges (ack-all) each partition up to it. */
  committed(acks: Map<number, JsMsg>): void {
    if (!this.#o.ackAfterCommit) return;
    for (const [p, m] of acks) {
      m.ack();
      if (this.#lastMsg.get(p) === m) this.#lastMsg.delete(p);
    }
  }

  /** Starts consuming every partition (returns once the consumers exist). */
  async start(): Promise<void> {
    this.#jsm = await jetstreamManager(this.#o.nc);
    await Promise.all(this.#o.partitions.map((p) => this.#create(p)));
    for (const p of this.#o.partitions) this.#loops.push(this.#loop(p));
  }

  /** Re-creates partition `p`'s durable consumer to deliver from the sequence after the applied one. */
  async #create(p: number): Promise<void> {
    const jsm = this.#jsm!;
    const name = consumerName(p);
    const applied = this.#applied.get(p) ?? 0;
    try {
      await jsm.consumers.delete(this.#o.stream, name);
    } catch {
      // not there yet
    }
    await jsm.consumers.add(this.#o.stream, {
      durable_name: name,
      filter_subject: partitionSubject(p),
      ack_policy: AckPolicy.All,
      ack_wait: this.#o.ackWaitMs * 1e6,
      max_ack_pending: 100_000,
      ...(applied > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: applied + 1 } : { deliver_policy: DeliverPolicy.All }),
    });
  }

  async #loop(p: number): Promise<void> {
    const js = jetstream(this.#o.nc);
    let needCreate = false;
    while (!this.#stopped) {
      try {
        if (needCreate) await this.#create(p);
        needCreate = true;
        const consumer = await js.consumers.get(this.#o.stream, consumerName(p));
        const msgs = await consumer.consume({ max_messages: 256 });
        this.#running.set(p, msgs);
        let lastDelivery = 0;
        let reason = 'consumer stopped';
        for await (const m of msgs) {
          if (this.#stopped) break;
          const dseq = m.info.deliverySequence;
          if (lastDelivery > 0 && dseq !== lastDelivery + 1) {
            reason = `delivery gap (${lastDelivery} -> ${dseq})`;
            break;
          }
          lastDelivery = dseq;
          this.#handle(p, m);
        }
        msgs.stop();
        this.#running.delete(p);
        if (this.#stopped) return;
        this.#counters.resets++;
        this.emit('reset', p, reason);
      } catch (error) {
        if (this.#stopped) return;
        this.#counters.resets++;
        this.emit('reset', p, (error as Error).message);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Applies one message, synchronously, and records its sequence. */
  #handle(p: number, m: JsMsg): void {
    const seq = m.seq;
    if (seq <= (this.#applied.get(p) ?? 0)) {
      this.#counters.redeliveriesSkipped++;
      return;
    }
    try {
      const { events, rejected, stats, statsNode } = decodeEvents(m.data);
      this.#counters.recordsInvalid += rejected;
      if (events.length > 0 || stats) this.#o.apply(events, { nodeId: stats ? statsNode : (events[0]?.node ?? 'unknown'), dataPlaneStats: stats });
      this.#counters.eventsConsumed += events.length;
    } catch (error) {
      // Not a batch (or, a bug, the state refused it): counted and passed over, never retried forever.
      this.#counters.messagesInvalid++;
      this.emit('invalid', p, seq, isClusterError(error) ? error : (error as Error));
    }
    this.#counters.messagesConsumed++;
    this.#applied.set(p, seq);
    if (this.#o.ackAfterCommit) this.#lastMsg.set(p, m);
    else {
      // Ack-all: one acknowledgement covers every earlier message of the partition, so the
      // messages handled in one turn of the event loop cost one write, not one each.
      this.#unacked.set(p, m);
      this.#ackSoon ??= setImmediate(() => this.#ackNow());
    }
  }

  #ackNow(): void {
    if (this.#ackSoon) clearImmediate(this.#ackSoon);
    this.#ackSoon = undefined;
    for (const m of this.#unacked.values()) m.ack();
    this.#unacked.clear();
  }

  /** Counters and the applied sequences. */
  stats(): ShardConsumerStats {
    return { ...this.#counters, applied: Object.fromEntries(this.#applied) };
  }

  /** Lag per partition (asks JetStream; partitions whose info did not come back are left out). */
  async lag(): Promise<PartitionLag[]> {
    const jsm = this.#jsm;
    if (!jsm) return [];
    const infos = await Promise.allSettled(this.#o.partitions.map((p) => jsm.consumers.info(this.#o.stream, consumerName(p))));
    const out: PartitionLag[] = [];
    infos.forEach((r, i) => {
      const p = this.#o.partitions[i]!;
      if (r.status === 'fulfilled') out.push({ partition: p, applied: this.#applied.get(p) ?? 0, pending: r.value.num_pending, ackPending: r.value.num_ack_pending });
    });
    return out;
  }

  /** Stops consuming (what was applied stays; unacknowledged messages come again next start). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const msgs of this.#running.values()) msgs.stop();
    await Promise.allSettled(this.#loops);
    this.#ackNow();
  }
}

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
