import type { Command } from 'commander';
import { numberOption } from '../internal/context.js';
import { formatCollectorStats, natsPublisher, startCollector } from '@beacon/agent';
import { configFrom, dataPlaneTarget } from '../dataplane/loadDataPlaneConfig.js';
import { runUntil } from '../dataplane/runUntil.js';

interface CollectOptions {
  config?: string;
  interface?: string;
  nodeId?: string;
  duration?: string;
  statsInterval: string;
  quiet?: boolean;
  json?: boolean;
  nats?: string;
}

/**
 * Registers `beacon collect`: the data-plane collector. Probe events go to a control plane's
 * /api/v1/telemetry in gzip batches with the bearer token, through a bounded buffer that counts
 * its overflow, retrying with backoff while the control plane is away.
 */
export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description("capture connection events with the eBPF probe and export them to a control plane's telemetry endpoint")
    .option('-c, --config <file>', 'config file (data_plane, control_plane.api_key and whitelist sections)')
    .option('-i, --interface <name>', 'interface to observe (default: data_plane.interface)')
    .option('--node-id <id>', 'node id in the telemetry (default: data_plane.node_id or dp-<hostname>)')
    .option('--duration <seconds>', 'stop after this many seconds (default: run until SIGINT/SIGTERM)')
    .option('--stats-interval <seconds>', 'seconds between stats lines on stderr', '60')
    .option('-q, --quiet', 'no stats lines')
    .option('--json', 'print the final counters as JSON on stdout')
    .option('--nats <url>', "publish straight to a cluster's NATS JetStream stream instead of a control plane")
    .addHelpText('after', '\nThe control plane is --host/--port/--token when given, else data_plane.control_plane_host/port and control_plane.api_key ($BEACON_API_KEY).')
    .action(async (opts: CollectOptions, cmd: Command) => {
      const duration = opts.duration === undefined ? undefined : numberOption('--duration', opts.duration, { min: 0.1 });
      const statsEvery = numberOption('--stats-interval', opts.statsInterval, { min: 0.1 });
      const target = dataPlaneTarget(cmd, await configFrom(opts.config), opts.nodeId);
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const nats = opts.nats ? await natsPublisher(opts.nats, target.config, `beacon-collect-${target.nodeId}`) : undefined;
      const collector = await startCollector({ ...target, interface: opts.interface, log, publisher: nats?.publisher }).catch(async (error: unknown) => {
        await nats?.close();
        throw error;
      });
      log(`collecting on ${opts.interface ?? target.config.data_plane.interface} as ${target.nodeId}, exporting to ${opts.nats ? `JetStream at ${opts.nats}` : target.baseUrl} every ${target.config.data_plane.export_interval}s`);
      const statsTimer = opts.quiet ? undefined : setInterval(() => log(formatCollectorStats(collector.stats())), statsEvery * 1000);
      await runUntil(duration);
      clearInterval(statsTimer);
      const final = await collector.stop();
      await nats?.close();
      if (!opts.quiet) log(`stopped: ${formatCollectorStats(final)}`);
      if (opts.json) process.stdout.write(`${JSON.stringify(final, null, 2)}\n`);
      process.exitCode = 0;
    });
}
