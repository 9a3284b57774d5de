import type { BeaconConfig } from '@beacon/config';
import { openEventPublisher, type OpenedPublisher } from '@beacon/cluster';

/**
 * The publisher of `collect`/`agent`/`simulate --nats URL`: the cluster's stream, partitions
 * and NATS credentials/TLS from the `cluster:` section when a config is given.
 */
export function natsPublisher(url: string, config: BeaconConfig | undefined, name: string): Promise<OpenedPublisher> {
  const c = config?.cluster;
  return openEventPublisher({
    natsUrl: url,
    name,
    ...(c
      ? { stream: c.stream, partitions: c.partitions, credentials: c.credentials, user: c.user, password: c.password, token: c.token, tlsCa: c.tls_ca, tlsCert: c.tls_cert, tlsKey: c.tls_key }
      : {}),
  });
}
