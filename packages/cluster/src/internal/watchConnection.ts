import type { NatsConnection } from '@nats-io/transport-node';

/** Whether a NATS connection is up right now, kept from its status events. */
export interface ConnectionWatch {
  readonly connected: boolean;
  /** Disconnects and reconnects seen. */
  readonly disconnects: number;
  readonly reconnects: number;
  stop(): void;
}

/** Follows a connection's `disconnect`/`reconnect` status events. */
export function watchConnection(nc: NatsConnection, onChange?: (connected: boolean) => void): ConnectionWatch {
  let stopped = false;
  const w = { connected: !nc.isClosed(), disconnects: 0, reconnects: 0, stop: () => void (stopped = true) };
  void (async () => {
    for await (const s of nc.status()) {
      if (stopped) break;
      if (s.type === 'disconnect') {
        w.connected = false;
        w.disconnects++;
        onChange?.(false);
      } else if (s.type === 'reconnect') {
        w.connected = true;
        w.reconnects++;
        onChange?.(true);
      } else if (s.type === 'close') {
        w.connected = false;
        break;
      }
    }
  })().catch(() => undefined);
  return w;
}
