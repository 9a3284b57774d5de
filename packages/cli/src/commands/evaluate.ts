import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { defaultConfig, loadConfig, toDetectorConfig } from '@beacon/config';
import { evaluate, isHuntError, type EvaluationOptions, type EvaluationResult } from '@beacon/hunt';
import { contextOf, numberOption } from '../internal/context.js';
import { intervalText, table } from '../internal/format.js';

interface EvaluateOptions {
  truth?: string;
  labelColumn?: boolean;
  config?: string;
  threshold: string;
  format: string;
  json?: string | boolean;
  strict?: boolean;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

/** The metrics block printed under the table. */
function metricsText(r: EvaluationResult): string {
  const m = r.metrics;
  const lines = [
    `threshold ${m.threshold}: TP ${m.tp}  FP ${m.fp}  TN ${m.tn}  FN ${m.fn}`,
    `precision ${pct(m.precision)}  recall ${pct(m.recall)}  F1 ${pct(m.f1)}  false-positive rate ${pct(m.false_positive_rate)}  ROC-AUC ${pct(m.roc_auc)}`,
    ...m.notes.map((n) => `note: ${n}`),
  ];
  return lines.join('\n');
}

/** Registers `beacon evaluate <files...>`: score the detector against ground truth. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate <files...>')
    .description('score the detector against ground truth: event files (YAML/JSON), Zeek conn.log (label column) and pcaps')
    .option('--truth <file>', 'ground truth: YAML/JSON list of beacon pairs (src_ip, dst_ip, dst_port[, protocol]) or "src:dst:port" strings')
    .option('--label-column', "take the truth from the Zeek logs' label column (the default without --truth)")
    .option('-c, --config <file>', 'configuration file (detection, whitelist, benign_baseline)')
    .option('--threshold <score>', 'score at or above which a pair counts as flagged', '0.7')
    .option('--format <format>', 'auto, zeek, pcap or eve (for non-event files)', 'auto')
    .option('--json [out]', 'write the metrics and pairs as JSON to a file, or to stdout without one')
    .option('--strict', 'exit 1 on any miss (FN) or false alarm (FP)')
    .action(async (files: string[], opts: EvaluateOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.truth && opts.labelColumn) throw new Error('--truth and --label-column are exclusive: pick one source of ground truth');
      if (!['auto', 'zeek', 'pcap', 'eve'].includes(opts.format)) throw new Error(`--format must be auto, zeek, pcap or eve, got "${opts.format}"`);
      const threshold = numberOption('--threshold', opts.threshold, { min: 0, max: 1 });
      const config = opts.config ? await loadConfig(opts.config) : defaultConfig();
      const problems: string[] = [];
      const evalOptions: EvaluationOptions = {
        detector: toDetectorConfig(config),
        idleGapSec: config.data_plane.idle_gap,
        flowTimeoutSec: config.data_plane.flow_timeout,
        threshold,
        format: opts.format as 'auto' | 'zeek' | 'pcap' | 'eve',
        onProblem: (file, p) => {
          if (problems.length < 10) problems.push(`${file}${p.line ? `:${p.line}` : ''}: ${p.kind}: ${p.message}`);
        },
      };
      if (opts.truth) evalOptions.truth = opts.truth;
      const r = await evaluate(files, evalOptions).catch((error: unknown) => {
        if (isHuntError(error) && error.code === 'NO_TRUTH') throw new Error(`${error.message.replace(/give a truth file/, 'give --truth <file>')}`, { cause: error });
        throw error;
      });
      for (const p of [...problems, ...r.rejections]) ctx.err.write(`  ${p}\n`);
      ctx.err.write(
        `${r.events} events, ${r.rejected} rejected, ${r.allowlisted} allowlisted; truth: ${r.truthPairs} beacon pairs (${r.truthSource === 'file' ? opts.truth : 'label column'})\n`,
      );
      const report = { threshold, truth_source: r.truthSource, truth_pairs: r.truthPairs, events: r.events, rejected: r.rejected, allowlisted: r.allowlisted, metrics: r.metrics, pairs: r.pairs };
      if (opts.json === true) ctx.out.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        if (typeof opts.json === 'string') await writeFile(opts.json, `${JSON.stringify(report, null, 2)}\n`);
        ctx.out.write(
          `${table(
            ['PAIR', 'TRUTH', 'SCORE', 'VERDICT', 'INTERVAL', 'CONNS'],
            r.pairs.map((p) => [
              p.pair,
              p.truth ? 'beacon' : '-',
              p.score === null ? 'unscored' : `${(p.score * 100).toFixed(1)}%${p.benign_label ? ` (benign: ${p.benign_label})` : ''}`,
              p.verdict,
              intervalText(p.interval),
              p.connection_count === null ? '-' : String(p.connection_count),
            ]),
          )}\n\n${metricsText(r)}\n`,
        );
      }
      if (opts.strict && (r.metrics.fn > 0 || r.metrics.fp > 0)) {
        ctx.err.write(`--strict: ${r.metrics.fn} missed, ${r.metrics.fp} false alarms\n`);
        process.exitCode = 1;
      }
    });
}
