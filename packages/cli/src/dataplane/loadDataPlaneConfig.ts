import { hostname } from 'node:os';
import type { Command } from 'commander';
import { defaultConfig, loadConfig, type BeaconConfig } from '@beacon/config';
import { baseUrl } from '../internal/client.js';
import { numberOption } from '../internal/context.js';

/** Where a data-plane command sends telemetry and who it says it is. */
export interface DataPlaneTarget {
  config: BeaconConfig;
  baseUrl: string;
  token: string | undefined;
  nodeId: string;
}

interface Globals {
  host: string;
  port: string;
  token?: string;
  tls?: boolean;
}

/** The config file (defaults without one). */
export async function configFrom(path: string | undefined): Promise<BeaconConfig> {
  return path ? loadConfig(path) : defaultConfig();
}

/**
 * The control plane a collector talks to: `--host`/`--port`/`--token` when given on the command
 * line, else `data_plane.control_plane_host`/`control_plane_port` and `control_plane.api_key`,
 * else `$BEACON_API_KEY`. The node id is `--node-id`, `data_plane.node_id`, or `dp-<hostname>`.
 */
export function dataPlaneTarget(cmd: Command, config: BeaconConfig, nodeIdOption: string | undefined): DataPlaneTarget {
  const g = cmd.optsWithGlobals<Globals>();
  const fromCli = (key: string): boolean => {
    const source = cmd.getOptionValueSourceWithGlobals(key);
    return source === 'cli' || source === 'env';
  };
  const host = fromCli('host') ? g.host : config.data_plane.control_plane_host;
  const port = fromCli('port') ? numberOption('--port', g.port, { min: 1, max: 65535, integer: true }) : config.data_plane.control_plane_port;
  const token = g.token ?? config.control_plane.api_key ?? process.env.BEACON_API_KEY ?? undefined;
  return {
    config,
    baseUrl: baseUrl({ host, port, tls: g.tls }),
    token: token === '' ? undefined : token,
    nodeId: nodeIdOption ?? config.data_plane.node_id ?? `dp-${hostname()}`,
  };
}
