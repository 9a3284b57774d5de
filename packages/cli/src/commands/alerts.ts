import type { Command } from 'commander';
import { apiClient, read } from '../internal/client.js';
import { contextOf, numberOption } from '../internal/context.js';
import { csv, severityColor, table } from '../internal/format.js';

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];
const isSeverity = (s: string | undefined): s is Severity => SEVERITIES.includes(s as Severity);

/** Registers `beacon alerts`: recent alerts, newest first. */
export function registerAlerts(program: Command): void {
  program
    .command('alerts')
    .description('recent alerts, newest first')
    .option('--limit <n>', 'at most this many rows', '50')
    .option('--severity <level>', `only this severity (${SEVERITIES.join(', ')})`)
    .option('-o, --csv', 'emit CSV instead of the table')
    .option('--json', 'emit JSON')
    .action(async (opts: { limit: string; severity?: string; csv?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const limit = numberOption('--limit', opts.limit, { min: 1, integer: true });
      const severity = opts.severity?.toLowerCase();
      if (severity !== undefined && !isSeverity(severity)) throw new Error(`--severity must be one of ${SEVERITIES.join(', ')}, got "${opts.severity}"`);
      const res = await read(ctx.client, apiClient(ctx.client).api.v1.alerts.$get({ query: { limit, severity: isSeverity(severity) ? severity : undefined } }));
      const rows = res.alerts.map((a) => [
        a.timestamp,
        a.severity.toUpperCase(),
        a.details?.src_ip ?? '',
        a.details?.dst_ip ?? '',
        String(a.details?.dst_port ?? ''),
        a.details?.protocol ?? '',
        a.details?.combined_score !== undefined ? `${(a.details.combined_score * 100).toFixed(1)}%` : '',
        a.alert_id,
      ]);
      if (opts.json) ctx.out.write(`${JSON.stringify(res.alerts, null, 2)}\n`);
      else if (opts.csv) ctx.out.write(csv(['Timestamp', 'Severity', 'Source_IP', 'Dest_IP', 'Dest_Port', 'Protocol', 'Score', 'Alert_ID'], rows));
      else if (rows.length === 0) ctx.out.write('No alerts.\n');
      else {
        for (const r of rows) r[1] = severityColor(ctx.colors, r[1] ?? '');
        ctx.out.write(`${table(['TIME', 'SEVERITY', 'SOURCE IP', 'DEST IP', 'PORT', 'PROTO', 'SCORE', 'ALERT ID'], rows)}\n`);
      }
    });
}
