import type { Command } from 'commander';
import { apiClient, read } from '../internal/client.js';
import { contextOf, numberOption } from '../internal/context.js';
import { connectionsCsv, connectionsTable, longConnsCsv, longConnsTable } from '../internal/render.js';

/** Registers `beacon connections` and `beacon long-conns`. */
export function registerConnections(program: Command): void {
  program
    .command('connections')
    .description('tracked connection pairs, most connections first')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--src-ip <ip>', 'only pairs from this source')
    .option('--dst-ip <ip>', 'only pairs to this destination')
    .option('-o, --csv', 'emit CSV instead of the table')
    .option('--json', 'emit JSON')
    .action(async (opts: { limit: string; srcIp?: string; dstIp?: string; csv?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const limit = numberOption('--limit', opts.limit, { min: 1, integer: true });
      const res = await read(ctx.client, apiClient(ctx.client).api.v1.connections.$get({ query: { limit, src_ip: opts.srcIp, dst_ip: opts.dstIp } }));
      if (opts.json) ctx.out.write(`${JSON.stringify(res.pairs, null, 2)}\n`);
      else if (opts.csv) ctx.out.write(connectionsCsv(res.pairs));
      else ctx.out.write(res.pairs.length ? `${connectionsTable(res.pairs)}\n` : 'No connections tracked.\n');
    });

  program
    .command('long-conns')
    .description('long-lived connections that may indicate persistent C2, longest first')
    .option('--min-duration <seconds>', 'minimum duration in seconds', '3600')
    .option('--limit <n>', 'at most this many rows', '50')
    .option('-o, --csv', 'emit CSV instead of the table')
    .option('--json', 'emit JSON')
    .action(async (opts: { minDuration: string; limit: string; csv?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const minDuration = numberOption('--min-duration', opts.minDuration, { min: 0 });
      const limit = numberOption('--limit', opts.limit, { min: 1, integer: true });
      const res = await read(ctx.client, apiClient(ctx.client).api.v1['long-connections'].$get({ query: { min_duration: minDuration, limit } }));
      const items = [...res.connections].sort((a, b) => b.duration_seconds - a.duration_seconds);
      if (opts.json) ctx.out.write(`${JSON.stringify(items, null, 2)}\n`);
      else if (opts.csv) ctx.out.write(longConnsCsv(items));
      else ctx.out.write(items.length ? `${longConnsTable(items)}\n` : `No connections longer than ${minDuration}s.\n`);
    });
}
