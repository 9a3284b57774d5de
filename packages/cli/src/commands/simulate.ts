import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { C2ProfileName } from '@beacon/synth';
import { C2_PROFILE_NAMES } from '@beacon/synth';
import { baseUrl } from '../internal/client.js';
import { contextOf, numberOption } from '../internal/context.js';
import { buildScenario, DEFAULT_BEACONS, natsPublisher, runSimulation, TelemetrySender, type PlantedBeacon } from '@beacon/agent';

interface SimulateOptions {
  duration: string;
  speed: string;
  period?: string;
  jitter?: string;
  profile?: string;
  beacons: string;
  noise: string;
  seed: string;
  tick: string;
  nodeId?: string;
  json?: boolean;
  nats?: string;
}

/** Registers `beacon simulate`: synthetic beacons and human-like noise sent as telemetry. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("send synthetic traffic (planted beacons plus human-like noise) to a control plane's telemetry endpoint")
    .option('--duration <seconds>', 'simulated seconds of traffic', '7200')
    .option('--speed <factor>', 'time acceleration: simulated seconds per real second', '1')
    .option('--period <seconds>', 'sleep of the first planted beacon')
    .option('--jitter <fraction>', 'jitter of the first planted beacon, 0 to 0.99')
    .option('--profile <name>', `C2 profile of the first planted beacon (${C2_PROFILE_NAMES.join(', ')})`)
    .option('--beacons <n>', `planted beacons (0-${DEFAULT_BEACONS.length})`, String(DEFAULT_BEACONS.length))
    .option('--noise <n>', 'benign client pairs', '20')
    .option('--seed <n>', 'random seed', '1')
    .option('--tick <seconds>', 'real seconds between telemetry posts', '1')
    .option('--node-id <id>', 'node id in the telemetry (default sim-<hostname>)')
    .option('--json', 'print the summary as JSON')
    .option('--nats <url>', "publish straight to a cluster's NATS JetStream stream instead of a control plane")
    .action(async (opts: SimulateOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const beacons: PlantedBeacon[] = DEFAULT_BEACONS.slice(0, numberOption('--beacons', opts.beacons, { min: 0, max: DEFAULT_BEACONS.length, integer: true })).map((b) => ({ ...b }));
      const first = beacons[0];
      if (first) {
        if (opts.profile !== undefined) {
          if (!C2_PROFILE_NAMES.includes(opts.profile as C2ProfileName)) throw new Error(`--profile must be one of ${C2_PROFILE_NAMES.join(', ')}, got "${opts.profile}"`);
          first.profile = opts.profile as C2ProfileName;
        }
        if (opts.period !== undefined) first.periodSeconds = numberOption('--period', opts.period, { min: 0.001 });
        if (opts.jitter !== undefined) first.jitter = numberOption('--jitter', opts.jitter, { min: 0, max: 0.99 });
      }
      const durationSeconds = numberOption('--duration', opts.duration, { min: 1 });
      const pairs = buildScenario({
        durationSeconds,
        beacons,
        noisePairs: numberOption('--noise', opts.noise, { min: 0, integer: true }),
        seed: numberOption('--seed', opts.seed, { integer: true }),
      });
      const nodeId = opts.nodeId ?? `sim-${hostname()}`;
      const sender = new TelemetrySender({ baseUrl: baseUrl(ctx.client), token: ctx.client.token, timeoutMs: ctx.client.timeoutMs, nodeId });
      const speed = numberOption('--speed', opts.speed, { min: 0.001 });
      const nats = opts.nats ? await natsPublisher(opts.nats, undefined, `beacon-simulate-${nodeId}`) : undefined;
      if (!opts.json) ctx.err.write(`Simulating ${pairs.length} pairs (${beacons.length} beacons) to ${opts.nats ? `JetStream at ${opts.nats}` : baseUrl(ctx.client)} at ${speed}x\n`);
      const delivered = await runSimulation(pairs, {
        speed,
        tickSeconds: numberOption('--tick', opts.tick, { min: 0.01 }),
        // Simulated time ends at "now": a server refuses events from its future.
        startSeconds: Date.now() / 1000 - durationSeconds,
        nodeId,
        deliver: nats
          ? async (events) => {
              await nats.publisher.publish(events, { nodeId });
              sender.stats.eventsSent += events.length;
              sender.stats.batchesSent++;
            }
          : (events) => sender.send(events),
        onProgress: (sim, n) => {
          if (!opts.json && ctx.err === process.stderr && process.stderr.isTTY) process.stderr.write(`\r  simulated ${sim.toFixed(0)}s, ${n} events sent   `);
        },
      });
      await nats?.close();
      const summary = { pairs: pairs.length, beacons: beacons.map((b) => `${b.srcIp}->${b.dstIp}:${b.dstPort}`), events: delivered, ...sender.stats };
      if (opts.json) ctx.out.write(`${JSON.stringify(summary, null, 2)}\n`);
      else ctx.err.write(`\nSent ${sender.stats.eventsSent} events in ${sender.stats.batchesSent} batches (${sender.stats.eventsRejected} rejected, ${sender.stats.requestsFailed} failed requests).\n`);
    });
}
