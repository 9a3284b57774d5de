import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { defaultConfig, loadConfig, toDetectorConfig, type BeaconConfig } from '@beacon/config';
import type { Detection } from '@beacon/detector';
import { coveredByName, HistoryCollector, huntFiles, toBeaconRow, writeHtmlReport, type HuntFilesOptions } from '@beacon/hunt';
import { contextOf, numberOption } from '../internal/context.js';
import { csv, intervalText, severityColor, table } from '../internal/format.js';
import { destText } from '../internal/render.js';


interface AnalyzeOptions {
  format: string;
  config?: string;
  minScore: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
  all?: boolean;
  progress?: boolean;
  html?: string;
  workers: string;
  alert?: boolean;
}

const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

/** Registers `beacon analyze [files...]`: hunt in Zeek logs and captures, or force a server run. */
export function registerAnalyze(program: Command): void {
  program
    .command('analyze [files...]')
    .description('hunt for beacons in Zeek conn.log files and pcap/pcapng captures (gzip ok); with no files, force an analysis run on the server')
    .option('--format <format>', 'auto, zeek, pcap or eve', 'auto')
    .option('-c, --config <file>', 'configuration file (detection, whitelist, benign_baseline, data_plane.idle_gap)')
    .option('--min-score <score>', 'lowest score listed', '0')
    .option('--limit <n>', 'at most this many rows (default: all)')
    .option('--all', 'list every scored pair, not only beacons')
    .option('--json', 'print a JSON array of beacon rows (stable fields, see docs/hunting.md)')
    .option('-o, --csv', 'print CSV')
    .option('--html <file>', 'also write a self-contained HTML report (beacons table and pair views) to this file')
    .option('--no-progress', 'no progress bar')
    .option('--alert', 'send an alert for each beacon found through the alert sinks of the configuration (-c: alerting.syslog, file, webhook), as the server does; alert times follow the data')
    .option('--workers <n>', 'worker threads: auto (for inputs of 16 MiB or more: one per core beyond the first on 4 cores or more; on 2-3 cores one that reads captures and EVE logs only), or a number (0: none)', 'auto')
    .action(async (files: string[], opts: AnalyzeOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      // no files: an analysis run on the server (the HTTP client is loaded only then)
      if (files.length === 0) return (await import('./analyzeRemote.js')).analyzeRemote(ctx, Boolean(opts.json));
      if (!['auto', 'zeek', 'pcap', 'eve'].includes(opts.format)) throw new Error(`--format must be auto, zeek, pcap or eve, got "${opts.format}"`);
      const minScore = numberOption('--min-score', opts.minScore, { min: 0, max: 1 });
      const limit = opts.limit === undefined ? Infinity : numberOption('--limit', opts.limit, { min: 1, integer: true });
      const workers = opts.workers === 'auto' ? 'auto' : numberOption('--workers', opts.workers, { min: 0, max: 64, integer: true });
      const config = opts.config ? await loadConfig(opts.config) : defaultConfig();
      let total = 0;
      for (const f of files) total += (await stat(f)).size;
      // cli-progress is loaded only when a bar is drawn (it costs start-up time otherwise).
      const cliProgress = opts.progress !== false && process.stderr.isTTY && total >= PROGRESS_MIN_BYTES ? (await import('cli-progress')).default : undefined;
      const bar =
        cliProgress
          ? new cliProgress.SingleBar({ format: 'analysing [{bar}] {percentage}% | {value}/{total} MiB', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
          : undefined;
      bar?.start(Math.ceil(total / 2 ** 20), 0);
      const problems: string[] = [];
      const histories = opts.html ? new HistoryCollector(Math.min(config.detection.max_history ?? 2000, 5000)) : undefined;
      const pipeline = opts.alert ? await alertPipeline(config, ctx.err) : undefined;
      const result = await huntFiles(files, {
        ...(histories ? { onEvents: (_f: string, events: Parameters<HistoryCollector['add']>[0]) => histories.add(events) } : {}),
        ...(pipeline ? { pipeline } : { detector: toDetectorConfig(config) }),
        idleGapSec: config.data_plane.idle_gap,
        flowTimeoutSec: config.data_plane.flow_timeout,
        format: opts.format as 'auto' | 'zeek' | 'pcap' | 'eve',
        workers,
        onProgress: (done) => bar?.update(Math.floor(done / 2 ** 20)),
        onProblem: (file, p) => {
          if (problems.length < 10) problems.push(`${file}${p.line ? `:${p.line}` : ''}${p.offset !== undefined ? ` @${p.offset}` : ''}: ${p.kind}: ${p.message}`);
        },
      });
      bar?.stop();
      // An address row covered by a name-keyed beacon (a beacon rotating over several addresses of
      // one name) is part of that one finding: listed only with --all, pointing to it.
      const covered = coveredByName(result.scored);
      const listed = result.scored.filter((d) => (opts.all || (d.isBeacon && !covered.has(d))) && d.result.score >= minScore).slice(0, limit);
      for (const f of result.files) {
        const problemCount = Object.values(f.stats.problems).reduce((a, b) => a + b, 0);
        ctx.err.write(`${f.file}: ${f.stats.format}${f.stats.gzip ? ' (gzip)' : ''}, ${f.stats.records} records, ${f.stats.events} events${problemCount ? `, ${problemCount} problems` : ''}\n`);
      }
      for (const p of problems) ctx.err.write(`  ${p}\n`);
      if (result.rejected || result.allowlisted) ctx.err.write(`${result.rejected} events rejected, ${result.allowlisted} allowlisted\n`);
      if (pipeline) ctx.err.write(`${result.alerts} alert${result.alerts === 1 ? '' : 's'} sent to the alert sinks\n`);
      if (opts.html && histories) {
        await writeHtmlReport(opts.html, listed, histories, { files });
        ctx.err.write(`HTML report with ${listed.length} rows written to ${opts.html}\n`);
      }
      if (opts.json) ctx.out.write(`${JSON.stringify(listed.map(toBeaconRow), null, 2)}\n`);
      else if (opts.csv) ctx.out.write(analyzeCsv(listed));
      else {
        const beacons = result.scored.filter((d) => d.isBeacon && !d.benignLabel && !covered.has(d)).length;
        // Benign-baseline pairs (NTP, multicast, known services) go below the rest in the table.
        const shown = [...listed].sort((a, b) => Number(a.benignLabel !== null) - Number(b.benignLabel !== null));
        ctx.out.write(shown.length ? `${analyzeTable(shown, ctx.colors)}\n` : 'No beacons found.\n');
        ctx.err.write(`${result.scored.length} pairs scored, ${beacons} beacons${listed.length < result.scored.length && !opts.all ? ' (--all lists every scored pair)' : ''}\n`);
      }
    });
}

/**
 * The hunt's pipeline for `--alert`: the configuration's alert sinks (alerting turned on for
 * this run), delivery failures reported on stderr.
 */
async function alertPipeline(config: BeaconConfig, err: NodeJS.WritableStream): Promise<NonNullable<HuntFilesOptions['pipeline']>> {
  const { createPipeline } = await import('@beacon/server');
  const withAlerts: BeaconConfig = { ...config, alerting: { ...config.alerting, enabled: true } };
  const say = (obj: object, msg?: string): void => void err.write(`alerting: ${msg ?? ''}${'sink' in obj ? ` (${String((obj as { sink: unknown }).sink)})` : ''}\n`);
  const logger = { debug: () => undefined, info: () => undefined, warn: say, error: say };
  return (now) => createPipeline(withAlerts, { now, logger });
}

function analyzeTable(items: readonly Detection[], c: Parameters<typeof severityColor>[0]): string {
  const named = items.some((d) => d.serverName !== undefined);
  const head = ['SCORE', 'SEVERITY', 'SOURCE IP', 'DEST IP', 'PORT', 'PROTO', 'CONNS', 'INTERVAL', 'DIRECTION', 'KIND', 'BEACON'];
  if (named) head.splice(3, 0, 'NAME');
  return table(
    head,
    items.map((d) => {
      const j = toBeaconRow(d);
      const row = [
        `${(j.score * 100).toFixed(1)}%`,
        d.benignLabel ? c.dim(`BENIGN(${d.benignLabel})`) : severityColor(c, j.severity),
        j.src_ip,
        destText(j.dst_ip, j.dst_ips),
        String(j.dst_port),
        j.protocol,
        String(j.connection_count),
        intervalText(j.interval),
        j.direction,
        j.kind,
        j.is_beacon ? 'yes' : `no (${j.reason ?? '-'})`,
      ];
      if (named) row.splice(3, 0, j.server_name ?? '');
      return row;
    }),
  );
}

function analyzeCsv(items: readonly Detection[]): string {
  const rows = items.map(toBeaconRow);
  const named = rows.some((j) => j.server_name !== undefined);
  const head = ['Score', 'Severity', 'Source_IP', 'Dest_IP', 'Dest_Port', 'Protocol', 'Connections', 'Interval', 'Is_Beacon', 'CV_Score', 'Periodicity_Score', 'Jitter_Score', 'Size_Score', 'Direction', 'Kind', 'Reason'];
  if (named) head.push('Server_Name', 'Dest_IPs');
  return csv(
    head,
    rows.map((j) => [
      j.score, j.severity, j.src_ip, j.dst_ip, j.dst_port, j.protocol, j.connection_count, j.interval ?? '', j.is_beacon, j.cv_score, j.periodicity_score, j.jitter_score, j.size_score, j.direction, j.kind, j.reason ?? '',
      ...(named ? [j.server_name ?? '', (j.dst_ips ?? []).join(' ')] : []),
    ]),
  );
}
