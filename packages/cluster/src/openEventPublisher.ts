import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { layoutPartitions } from './clusterLayout.js';
import { connectNats, type NatsConnectSettings } from './connectNats.js';
import { ensureStream } from './ensureStream.js';
import { EventPublisher, type EventPublisherOptions } from './eventPublisher.js';
import { closeConnection } from './internal/closeConnection.js';

/** Options of {@link openEventPublisher}. */
export interface OpenPublisherOptions extends NatsConnectSettings, Omit<EventPublisherOptions, 'partitions'> {
  /** @default 'BEACON_EVENTS' */
  stream?: string;
  /** Used when the cluster has not recorded its layout yet. @default 16 */
  partitions?: number;
  /** Connection name shown by NATS. @default 'beacon-publisher' */
  name?: string;
}

/** A publisher with its own connection. */
export interface OpenedPublisher {
  publisher: EventPublisher;
  nc: NatsConnection;
  /** The partition count in use (the cluster's recorded one). */
  partitions: number;
  /** Stops the publisher and drains the connection (pending acknowledgements first). */
  close(): Promise<void>;
}

/**
 * Connects a data plane (`collect`, `agent`, `simulate --nats`) straight to the cluster's
 * stream: makes sure the stream exists, takes the partition count the cluster recorded (so
 * a publisher can never split one host over two partitions), and returns an
 * {@link EventPublisher} that retries unacknowledged messages (de-duplicated by JetStream).
 * @throws `ClusterError` `CONNECT_FAILED` or `LAYOUT_MISMATCH`
 */
export async function openEventPublisher(options: OpenPublisherOptions): Promise<OpenedPublisher> {
  const { stream = 'BEACON_EVENTS', partitions = 16, name = 'beacon-publisher', attempts = 5, ...rest } = options;
  const nc = await connectNats(options, name);
  try {
    await ensureStream(await jetstreamManager(nc), { stream, maxAgeSeconds: 86_400, replicas: 1 });
    const n = await layoutPartitions(nc, stream, partitions);
    const publisher = new EventPublisher(nc, { ...rest, attempts, partitions: n });
    return {
      publisher,
      nc,
      partitions: n,
      async close() {
        publisher.close();
        await closeConnection(nc);
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}
