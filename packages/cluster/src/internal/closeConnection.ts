import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Drains a connection (pending publishes and acknowledgements go out first), giving up after
 * `timeoutMs`, then closes it for sure: a connection left reconnecting to a server that is
 * gone would keep the process alive.
 */
export async function closeConnection(nc: NatsConnection, timeoutMs = 2000): Promise<void> {
  if (nc.isClosed()) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([nc.drain().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
  if (!nc.isClosed()) await nc.close().catch(() => undefined);
}
