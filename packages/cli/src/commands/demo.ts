import { formatZeekConnLog } from '@beacon/sources';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultConfig } from '@beacon/config';
import type { ConnectionEvent } from '@beacon/detector';
import { MemorySink } from '@beacon/alerting';
import { createControlPlane } from '@beacon/server';
import { apiClient, baseUrl, read, type BeaconRow } from '../internal/client.js';
import { contextOf, numberOption } from '../internal/context.js';
import { beaconsTable } from '../internal/render.js';
import { buildScenario, DEFAULT_BEACONS, runSimulation, TelemetrySender } from '@beacon/agent';


interface DemoOptions {
  duration: string;
  speed: string;
  noise: string;
  seed: string;
  json?: boolean;
}

/** Registers `beacon demo`: a control plane in-process, fed simulated traffic at accelerated time. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('no root, no config: start a control plane in-process, feed it simulated beacons and noise at accelerated time, print what it found')
    .option('--duration <seconds>', 'simulated seconds of traffic', '7200')
    .option('--speed <factor>', 'simulated seconds per real second', '400')
    .option('--noise <n>', 'benign client pairs', '30')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print the result as JSON')
    .action(async (opts: DemoOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const say = (line: string): void => {
        if (!opts.json) ctx.out.write(`${line}\n`);
      };
      const config = defaultConfig();
      config.persistence.enabled = false;
      config.persistence.db_path = null;
      const alerts = new MemorySink();
      const cp = createControlPlane(config, { sinks: [alerts] });
      const server = await cp.listen({ hostname: '127.0.0.1', port: 0 });
      const client = { host: '127.0.0.1', port: server.port };
      const api = apiClient(client);
      try {
        const duration = numberOption('--duration', opts.duration, { min: 600 });
        const speed = numberOption('--speed', opts.speed, { min: 1 });
        const pairs = buildScenario({ durationSeconds: duration, noisePairs: numberOption('--noise', opts.noise, { min: 0, integer: true }), seed: numberOption('--seed', opts.seed, { integer: true }) });
        say(`Beacon demo: control plane on ${server.url}`);
        say(`Simulating ${(duration / 3600).toFixed(1)} h of traffic at ${speed}x: ${DEFAULT_BEACONS.length} planted beacons, ${pairs.filter((p) => p.label === 'benign').length} benign clients, 1 NTP client.`);
        const sender = new TelemetrySender({ baseUrl: baseUrl(client), nodeId: 'demo-sim' });
        const startSeconds = Math.floor(Date.now() / 1000) - duration;
        const sent: ConnectionEvent[] = [];
        let lastAnalysis = 0;
        await runSimulation(pairs, {
          speed,
          tickSeconds: 0.25,
          startSeconds,
          nodeId: 'demo-sim',
          deliver: async (events) => {
            for (const e of events) sent.push(e);
            await sender.send(events);
          },
          onProgress: (sim) => {
            // The live loop analyses every analysis_interval of wall time; here time is
            // accelerated, so analyse every simulated 10 minutes instead.
            if (sim - lastAnalysis >= 600) {
              lastAnalysis = sim;
              void read(client, api.api.v1.analyze.$post()).catch(() => undefined);
            }
          },
        });
        await read(client, api.api.v1.analyze.$post());
        await cp.dispatcher.flush();
        const res = await read(client, api.api.v1.beacons.$get({ query: { limit: 50, include_benign: true } }));
        const beacons = [...res.beacons].sort((a, b) => Number(Boolean(a.benign_label)) - Number(Boolean(b.benign_label)) || b.combined_score - a.combined_score);
        const planted = new Set(DEFAULT_BEACONS.map((b) => `${b.srcIp}>${b.dstIp}:${b.dstPort}`));
        const key = (b: BeaconRow): string => `${b.src_ip}>${b.dst_ip}:${b.dst_port}`;
        const found = beacons.filter((b) => b.is_beacon && planted.has(key(b)));
        const noise = beacons.filter((b) => b.is_beacon && !b.benign_label && !planted.has(key(b)));
        const benign = beacons.filter((b) => b.benign_label);
        const ok = found.length === planted.size && noise.length === 0;
        // The same traffic as a Zeek conn.log, so the hunt has a file every user has.
        const connLog = join(tmpdir(), 'beacon-demo-conn.log');
        await writeFile(connLog, formatZeekConnLog(sent));
        if (opts.json) {
          ctx.out.write(`${JSON.stringify({ ok, planted: planted.size, found: found.length, noise_flagged: noise.length, benign: benign.length, events_sent: sender.stats.eventsSent, conn_log: connLog, alerts: alerts.alerts.length, beacons }, null, 2)}\n`);
        } else {
          say('');
          say(beacons.length ? beaconsTable(beacons, ctx.colors) : 'No beacons detected.');
          say('');
          say(`${sender.stats.eventsSent.toLocaleString('en-US')} events sent, ${alerts.alerts.length} alerts raised.`);
          say(`Planted beacons found: ${found.length}/${planted.size}. Benign pairs flagged: ${noise.length}. Periodic but benign (baseline): ${benign.map((b) => `${b.dst_ip}:${b.dst_port} ${b.benign_label}`).join(', ') || 'none'}.`);
          say(ok ? ctx.colors.green('✓ every planted beacon is on top and no noise pair is flagged') : ctx.colors.red('✗ the demo did not separate beacons from noise'));
          say('');
          say(`The traffic is saved as a Zeek conn.log; hunt in it:  beacon analyze ${connLog}`);
          say('(or in your own Zeek conn.log files and pcap/pcapng captures)');
        }
        if (!ok) process.exitCode = 1;
      } finally {
        await cp.close();
        await server.close().catch(() => undefined);
      }
    });
}
