import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { ClusterError } from './clusterError.js';

/** What {@link connectNats} reads: the connection part of {@link ClusterSettings}. */
export interface NatsConnectSettings {
  natsUrl: string;
  credentials?: string | null;
  user?: string | null;
  password?: string | null;
  token?: string | null;
  tlsCa?: string | null;
  tlsCert?: string | null;
  tlsKey?: string | null;
}

/**
 * Connects to NATS with the cluster's credentials and TLS files, reconnecting forever
 * (every 250 ms) once connected: a NATS restart is ridden out, not fatal.
 * @throws {@link ClusterError} `CONNECT_FAILED` naming the URL when the first connect fails
 */
export async function connectNats(s: NatsConnectSettings, name = 'beacon'): Promise<NatsConnection> {
  const opts: NodeConnectionOptions = {
    servers: s.natsUrl.split(',').map((u) => u.trim()).filter(Boolean),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
  };
  try {
    if (s.credentials) opts.authenticator = credsAuthenticator(readFileSync(s.credentials));
    else if (s.token) opts.token = s.token;
    else if (s.user) {
      opts.user = s.user;
      if (s.password) opts.pass = s.password;
    }
    if (s.tlsCa || s.tlsCert) {
      opts.tls = {
        ...(s.tlsCa ? { caFile: s.tlsCa } : {}),
        ...(s.tlsCert ? { certFile: s.tlsCert } : {}),
        ...(s.tlsKey ? { keyFile: s.tlsKey } : {}),
      };
    }
    return await connect(opts);
  } catch (error) {
    throw new ClusterError('CONNECT_FAILED', `cannot connect to NATS at ${s.natsUrl}: ${(error as Error).message}`, { cause: error });
  }
}
