import type { EventPublisher } from '@beacon/cluster';
import type { ConnectionEvent } from '@beacon/detector';
import { EventBuffer } from './eventBuffer.js';
import { JetStreamExporter } from './jetStreamExporter.js';

/** A bounded buffer drained into a cluster's stream every second (and when a batch is full). */
export interface NatsForwarder {
  push(events: readonly ConnectionEvent[]): void;
  stats(): { eventsPublished: number; buffered: number; overflow: number; failures: number; lastError: string | undefined };
  /** Stops the timer and makes one last attempt to publish what is buffered. */
  stop(): Promise<void>;
}

/** Forwards an agent's events to the cluster's stream (`beacon agent --nats`), through a bounded buffer that counts its overflow. */
export function startNatsForwarder(publisher: EventPublisher, nodeId: string, capacity: number, log: (line: string) => void): NatsForwarder {
  const buffer = new EventBuffer(capacity);
  const exporter = new JetStreamExporter(buffer, { publisher, nodeId, dataPlaneStats: () => ({ events_dropped_ebpf: 0, events_dropped_overflow: buffer.overflow }), log });
  let running: Promise<boolean> | undefined;
  const drain = (): void => {
    if (running || Date.now() < exporter.retryAt) return;
    running = exporter.flush().finally(() => (running = undefined));
  };
  const timer = setInterval(drain, 1000);
  return {
    push(events) {
      buffer.push(events);
      if (buffer.length >= exporter.eventsPerBatch) drain();
    },
    stats: () => ({ eventsPublished: exporter.stats.eventsSent, buffered: buffer.length, overflow: buffer.overflow, failures: exporter.stats.requestsFailed, lastError: exporter.lastError }),
    async stop() {
      clearInterval(timer);
      await running;
      if (buffer.length > 0) await exporter.flush();
    },
  };
}
