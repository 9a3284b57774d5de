import { hostname } from 'node:os';
import type { Command } from 'commander';
import { natsPublisher, startAgent, startNatsForwarder } from '@beacon/agent';
import { toBeaconRow } from '@beacon/hunt';
import { contextOf, numberOption } from '../internal/context.js';
import { beaconsTable } from '../internal/render.js';
import { configFrom } from '../dataplane/loadDataPlaneConfig.js';
import { runUntil } from '../dataplane/runUntil.js';

interface AgentCmdOptions {
  config?: string;
  interface?: string;
  duration?: string;
  analysisInterval?: string;
  statsInterval: string;
  quiet?: boolean;
  json?: boolean;
  nats?: string;
}

/**
 * Registers `beacon agent`: probe and detector in one process for a single host, alerts to the
 * configured sinks, the beacons table (or JSON) on exit.
 */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('watch this host with the eBPF probe and detect beacons in-process (no control plane)')
    .option('-c, --config <file>', 'config file (data_plane, detection, whitelist and alerting sections)')
    .option('-i, --interface <name>', 'interface to observe (default: data_plane.interface)')
    .option('--duration <seconds>', 'stop after this many seconds (default: run until SIGINT/SIGTERM)')
    .option('--analysis-interval <seconds>', 'seconds between analysis runs (default: detection.analysis_interval)')
    .option('--stats-interval <seconds>', 'seconds between stats lines on stderr', '60')
    .option('-q, --quiet', 'no stats lines')
    .option('--json', 'on exit print {count, beacons[], connections[]} as JSON instead of the table (beacons are beacon rows, see docs/hunting.md)')
    .option('--nats <url>', "also publish the events to a cluster's NATS JetStream stream")
    .action(async (opts: AgentCmdOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const duration = opts.duration === undefined ? undefined : numberOption('--duration', opts.duration, { min: 0.1 });
      const analysisInterval = opts.analysisInterval === undefined ? undefined : numberOption('--analysis-interval', opts.analysisInterval, { min: 0.1 });
      const statsEvery = numberOption('--stats-interval', opts.statsInterval, { min: 0.1 });
      const config = await configFrom(opts.config);
      const log = (line: string): void => void ctx.err.write(`${line}\n`);
      const nats = opts.nats ? await natsPublisher(opts.nats, config, 'beacon-agent') : undefined;
      const forwarder = nats ? startNatsForwarder(nats.publisher, config.data_plane.node_id ?? `agent-${hostname()}`, config.data_plane.max_buffer_size, log) : undefined;
      const agent = await startAgent({ config, interface: opts.interface, analysisInterval, log, ...(forwarder ? { onEvents: (events) => forwarder.push(events) } : {}) }).catch(async (error: unknown) => {
        await forwarder?.stop();
        await nats?.close();
        throw error;
      });
      log(`agent watching ${opts.interface ?? config.data_plane.interface}; analysis every ${agent.detector.config.analysisInterval}s`);
      const statsLine = (): string => {
        const s = agent.stats();
        const d = agent.detector.stats();
        return `events ${s.eventsIngested} allowlisted ${s.allowlisted} pairs ${d.storage.pair_count} beacons ${d.analyzer.current_known_beacons} alerts ${s.alerts} dropped ebpf ${s.probe.ringbufDrops}`;
      };
      const statsTimer = opts.quiet ? undefined : setInterval(() => log(statsLine()), statsEvery * 1000);
      await runUntil(duration);
      clearInterval(statsTimer);
      await agent.stop();
      await forwarder?.stop();
      await nats?.close();
      if (forwarder && !opts.quiet) log(`published to JetStream: ${JSON.stringify(forwarder.stats())}`);
      if (!opts.quiet) log(`stopped: ${statsLine()}`);
      const beacons = agent.detector.beacons({ limit: Number.MAX_SAFE_INTEGER }).map((d) => toBeaconRow(d));
      if (opts.json) {
        const connections = agent.detector.pairs().map((p) => ({
          pair_key: p.pairKey,
          src_ip: p.srcIp,
          dst_ip: p.dstIp,
          dst_port: p.dstPort,
          protocol: p.protocol,
          direction: p.direction,
          connection_count: p.connectionCount,
          duration_seconds: p.durationSeconds,
        }));
        ctx.out.write(`${JSON.stringify({ count: beacons.length, beacons, connections }, null, 2)}\n`);
      } else {
        ctx.out.write(beacons.length > 0 ? `${beaconsTable(beacons, ctx.colors)}\n` : 'No beacons detected.\n');
      }
      process.exitCode = 0;
    });
}
